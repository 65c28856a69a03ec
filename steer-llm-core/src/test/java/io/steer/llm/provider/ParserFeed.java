package io.steer.llm.provider;

import io.steer.llm.sse.SseDecoder;

/**
 * Feeds a {@link StreamParser} the way a stream does, for the parser tests.
 */
public final class ParserFeed {

	private ParserFeed() {
	}

	/**
	 * Decodes a body of SSE events, to its end, and gives each event to the parser until
	 * the parser is complete.
	 * @param parser the parser
	 * @param body the bytes of the body
	 */
	public static void feed(StreamParser parser, byte[] body) {
		SseDecoder decoder = new SseDecoder();
		decoder.decode(body, 0, body.length, (event) -> {
			if (!parser.isComplete()) {
				parser.onEvent(event);
			}
		});
		decoder.end();
	}

}
