package io.steer.llm.provider.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.steer.llm.sse.SseDecoder;
import io.steer.llm.test.SseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token-by-token chunk reader gives exactly what data binding gives, or declines.
 */
class ChatCompletionChunkReaderTests {

	private static final ObjectMapper MAPPER = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private final ChatCompletionChunkReader reader = new ChatCompletionChunkReader(MAPPER);

	private final ObjectReader binder = MAPPER.readerFor(ChatCompletionChunk.class);

	private static List<String> data(SseFixture fixture) {
		List<String> data = new ArrayList<>();
		byte[] bytes = fixture.bytes();
		SseDecoder decoder = new SseDecoder();
		decoder.decode(bytes, 0, bytes.length, (event) -> data.add(event.data()));
		return data;
	}

	@Test
	void everyRecordedChunkShouldReadAsItBindsAndEveryContentChunkWithoutBinding() {
		List<SseFixture> fixtures = Stream.concat(SseFixture.all("openai").stream(), SseFixture.all("xai").stream())
			.filter((fixture) -> fixture.name().startsWith("chat"))
			.toList();
		assertThat(fixtures).isNotEmpty();
		int read = 0;
		for (SseFixture fixture : fixtures) {
			for (String data : data(fixture)) {
				ChatCompletionChunk chunk = this.reader.read(data);
				if (chunk != null) {
					read++;
					assertThat(chunk).as(data).isEqualTo(this.binder.readValue(data));
				}
				else if (!data.equals("[DONE]")) {
					// only the usage chunk and errors are left to binding
					assertThat(data).as(fixture.name()).containsAnyOf("\"usage\":{", "\"error\"");
				}
			}
		}
		assertThat(read).isGreaterThan(100);
	}

	@Test
	void syntheticStreamChunksShouldReadAsTheyBind() {
		for (String data : data(SseFixture.syntheticOpenAiChat(20))) {
			ChatCompletionChunk chunk = this.reader.read(data);
			if (!data.equals("[DONE]") && !data.contains("\"usage\"")) {
				assertThat(chunk).as(data).isNotNull().isEqualTo(this.binder.readValue(data));
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "{}", "{\"id\":null,\"choices\":null,\"usage\":null,\"error\":null}", "{\"choices\":[]}",
			"{\"choices\":[null,{\"index\":1,\"delta\":null}]}",
			"{\"choices\":[{\"delta\":{\"content\":\"\",\"refusal\":null,\"reasoning_content\":\"r\"}}]}",
			"{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[null,{\"index\":0,\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\",\"x\":[1]}}]}}]}",
			"{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"function\":null}]},\"finish_reason\":\"stop\",\"logprobs\":{\"content\":[{\"a\":[1,{\"b\":2}]}]}}]}",
			"{\"id\":\"\",\"model\":\"\",\"prompt_filter_results\":[{\"x\":{}}],\"system_fingerprint\":\"fp\",\"service_tier\":\"default\"}" })
	void ordinaryShapesShouldReadWithoutBindingAsTheyBind(String data) {
		ChatCompletionChunk chunk = this.reader.read(data);
		assertThat(chunk).isNotNull().isEqualTo(this.binder.readValue(data));
	}

	@ParameterizedTest
	@ValueSource(strings = { "null", "[1,2]", "\"text\"", "not json", "{\"id\":\"c1\",", "{\"id\":42}", "{\"id\":true}",
			"{\"choices\":{\"index\":0}}", "{\"choices\":[{\"index\":\"0\"}]}", "{\"choices\":[{\"index\":0.0}]}",
			"{\"choices\":[{\"index\":4294967296}]}", "{\"choices\":[1]}",
			"{\"choices\":[{\"delta\":{\"content\":[{\"type\":\"text\",\"text\":\"a\"}]}}]}",
			"{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":{\"a\":1}}}]}}]}",
			"{\"choices\":[{\"delta\":{\"tool_calls\":{}}}]}", "{\"usage\":{\"prompt_tokens\":1}}",
			"{\"error\":{\"message\":\"m\"}}", "{\"error\":\"overloaded\"}", "{\"id\":\"a\",\"id\":\"b\"}",
			"{\"choices\":[{\"index\":0,\"index\":1}]}", "{} {}", "{\"choices\":[{\"finish_reason\":1}]}" })
	void otherShapesShouldBeLeftToBinding(String data) {
		assertThat(this.reader.read(data)).isNull();
	}

}
