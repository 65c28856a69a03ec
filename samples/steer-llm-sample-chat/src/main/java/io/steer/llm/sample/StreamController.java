package io.steer.llm.sample;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.steer.llm.SteerLLMClient;
import io.steer.llm.model.ChatRequest;
import io.steer.llm.resume.ResumableStreams;
import io.steer.llm.resume.ResumeException;
import io.steer.llm.web.ServerSentEvents;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Streams a browser can resume (the page at {@code /} uses them): {@code POST /streams}
 * starts one, detached from the HTTP connection, and answers {@code 201 Created} with its
 * {@code Location}; {@code GET /streams/{id}} serves its events, after the
 * {@code Last-Event-ID} header (a browser's {@code EventSource} reconnecting) or the
 * {@code lastEventId} parameter (a page resuming after a refresh), then the live rest;
 * {@code DELETE /streams/{id}} or {@code POST /streams/{id}/stop} stops it for every
 * reader, which a reader going away does not.
 * <p>
 * A request is checked as {@link ChatController} checks it (400 with a problem body); an
 * unknown stream is answered with 404, an expired one with 204 (a browser stops
 * reconnecting), a malformed id with 400 (see {@link ChatExceptionHandler}).
 */
@RestController
class StreamController {

	private final SteerLLMClient client;

	private final ReplayMetadata replayMetadata;

	private final ResumableStreams resumable;

	StreamController(SteerLLMClient client, ReplayMetadata replayMetadata, ResumableStreams resumable) {
		this.client = client;
		this.replayMetadata = replayMetadata;
		this.resumable = resumable;
	}

	/**
	 * Starts a stream of the events of {@code GET /chat} for a JSON body
	 * {@code {"prompt", "model", "api"}} (each optional, as for {@code /chat}, but a
	 * prompt not empty).
	 * @return {@code 201} with {@code Location: /streams/{id}} and {@code {"streamId",
	 * "eventsUrl"}}
	 */
	@PostMapping(path = "/streams", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	Mono<ResponseEntity<Map<String, String>>> start(@RequestBody StreamBody body) {
		ChatRequest request = ChatRequest.builder()
			.messages(List.of(ChatController.prompt(body.prompt())))
			.model(body.model())
			.api(ChatController.api(body.api()))
			.build();
		this.client.validate(request);
		Flux<ServerSentEvent<String>> events = ServerSentEvents.builder()
			.build()
			.apply(this.client.streamEvents(request).map((event) -> this.replayMetadata.annotate(event, request)));
		return this.resumable.start(events).map((streamId) -> {
			String url = "/streams/" + streamId;
			return ResponseEntity.created(URI.create(url)).body(Map.of("streamId", streamId, "eventsUrl", url));
		});
	}

	/**
	 * The events of a stream after the reader's last one, then live, ending with
	 * {@code done}.
	 */
	@GetMapping(path = "/streams/{id}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<String>> events(@PathVariable String id,
			@RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventIdHeader,
			@RequestParam(name = "lastEventId", required = false) @Nullable String lastEventId) {
		return this.resumable.events(id, (lastEventIdHeader != null) ? lastEventIdHeader : lastEventId);
	}

	/**
	 * Stops a stream for every reader.
	 * @return {@code 202} with {@code {"stopped": true}} when it was running,
	 * {@code false} when it had already ended
	 */
	@DeleteMapping(path = "/streams/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
	Mono<ResponseEntity<Map<String, Boolean>>> delete(@PathVariable String id) {
		return this.resumable.stop(id)
			.map((stopped) -> ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("stopped", stopped)));
	}

	/** {@link #delete(String)} for clients that cannot send {@code DELETE}. */
	@PostMapping(path = "/streams/{id}/stop", produces = MediaType.APPLICATION_JSON_VALUE)
	Mono<ResponseEntity<Map<String, Boolean>>> stop(@PathVariable String id) {
		return delete(id);
	}

	/**
	 * The body of {@code POST /streams}.
	 *
	 * @param prompt the user prompt, {@code null} for the default one
	 * @param model the model or {@code provider:model}, {@code null} for the default
	 * model
	 * @param api {@code chat-completions} or {@code responses}, {@code null} for the
	 * provider's configured API
	 */
	record StreamBody(@Nullable String prompt, @Nullable String model, @Nullable String api) {
	}

}
