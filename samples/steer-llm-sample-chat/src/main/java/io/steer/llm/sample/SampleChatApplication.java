package io.steer.llm.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Streams LLM answers as server-sent events: {@code GET /chat?prompt=…&model=…}.
 */
@SpringBootApplication
public class SampleChatApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleChatApplication.class, args);
	}

}
