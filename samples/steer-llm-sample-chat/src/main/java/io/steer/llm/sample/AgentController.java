package io.steer.llm.sample;

import java.util.List;
import java.util.Map;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.agent.AgentDefinition;
import io.steer.llm.agent.AgentRunner;
import io.steer.llm.error.InvalidRequestException;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.model.Message;
import io.steer.llm.model.ProviderApi;
import io.steer.llm.web.AgentServerSentEvents;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Streams a run of the {@code assistant} agent ({@code steer.agents.assistant} in
 * {@code application.yml}, with the {@link SampleTools}) as SSE on {@code GET /agent} and
 * {@code POST /agent} (a JSON body): every step's text, each tool call as its arguments
 * stream, each tool's result, each step's usage and cost, and the total, written by
 * {@link AgentServerSentEvents} (which documents the JSON of each event).
 * <p>
 * For example
 * {@code curl -N "localhost:8080/agent?task=Calculate%20factorial%20of%2010"}. Without an
 * API key the replay provider answers with scripted tool calls ({@link AgentReplay}), so
 * the tools run for real and the model's text is the script's. A bad request (an empty
 * task, an unknown model or API) is answered with 400 and a problem body, as on
 * {@code /chat}.
 */
@RestController
class AgentController {

	static final String DEFAULT_TASK = "Calculate factorial of 10, and tell me the time";

	private final SteerLLMClient client;

	private final AgentRunner runner;

	private final AgentDefinition assistant;

	private final AgentServerSentEvents events;

	AgentController(SteerLLMClient client, AgentRunner runner, @Qualifier("assistantAgent") AgentDefinition assistant,
			JsonMapper mapper) {
		this.client = client;
		this.runner = runner;
		this.assistant = assistant;
		this.events = AgentServerSentEvents.builder().mapper(mapper).build();
	}

	/**
	 * The events of a run on the task ({@value #DEFAULT_TASK} when there is none), for
	 * the model asked for (the default model when none) and the API ({@code responses} or
	 * {@code chat-completions}, for OpenAI and xAI).
	 */
	@GetMapping(path = "/agent", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<String>> agent(@RequestParam(required = false) @Nullable String task,
			@RequestParam(required = false) @Nullable String model,
			@RequestParam(required = false) @Nullable String api) {
		return run(task, model, api);
	}

	/**
	 * The events of {@link #agent(String, String, String)} for a JSON body
	 * {@code {"task", "model"?, "api"?}}.
	 */
	@PostMapping(path = "/agent", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<String>> agent(@RequestBody AgentBody body) {
		return run(body.task(), body.model(), body.api());
	}

	private Flux<ServerSentEvent<String>> run(@Nullable String task, @Nullable String model, @Nullable String api) {
		if (task != null && task.isBlank()) {
			throw new InvalidRequestException("task", null, "The task is empty: say what the agent should do");
		}
		String userMessage = (task != null) ? task : DEFAULT_TASK;
		ProviderApi providerApi = (api != null) ? ProviderApi.from(api) : null;
		// an unknown model or API gets a 400 before the run starts
		this.client.validate(ChatRequest.builder()
			.messages(List.of(Message.user(userMessage)))
			.model(model)
			.api(providerApi)
			.build());
		AgentDefinition definition = this.assistant.toBuilder()
			.model((model != null) ? model : this.assistant.model())
			.api((providerApi != null) ? providerApi : this.assistant.api())
			.build();
		return this.events.apply(this.runner.stream(definition, Map.of(), userMessage, null));
	}

	/**
	 * The body of {@code POST /agent}.
	 *
	 * @param task what the agent should do, {@code null} for {@value #DEFAULT_TASK}
	 * @param model the model or {@code provider:model}, {@code null} for the agent's
	 * @param api {@code chat-completions} or {@code responses}, {@code null} for the
	 * agent's
	 */
	record AgentBody(@Nullable String task, @Nullable String model, @Nullable String api) {
	}

}
