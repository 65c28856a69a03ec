package io.steer.llm.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Streams LLM answers as server-sent events: {@code GET /chat?prompt=…&model=…&api=…}, or
 * {@code POST /chat} with a JSON body ({@code prompt} or {@code messages}, {@code model},
 * {@code api}) for long prompts and conversations. Bad input gets 400 with a problem
 * body. Providers without an API key stream recorded answers from an embedded replay
 * provider.
 */
@SpringBootApplication
public class SampleChatApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleChatApplication.class, args);
	}

}
