package io.steer.llm.resume;

import io.steer.llm.provider.Secrets;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The payloads {@link ResumableStreams} writes itself: {@code done}, {@code stopped}, and
 * the {@code error} of a failed source or of a reader that cannot be served.
 */
final class ResumePayloads {

	/** The payload of {@code done}. */
	static final String DONE = "{}";

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private ResumePayloads() {
	}

	/**
	 * A {@code stopped} event's entry payload.
	 * @param reason {@code requested} or {@code abandoned}
	 * @return {@code {"reason": …}}
	 */
	static String stoppedData(String reason) {
		ObjectNode node = MAPPER.createObjectNode();
		node.put("reason", reason);
		return node.toString();
	}

	/**
	 * The {@code error} payload of a source that signalled an error: a {@code PROCESSOR}
	 * failure, not retryable, its message redacted.
	 * @param failure the error
	 * @return the JSON
	 */
	static String sourceFailed(Throwable failure) {
		String message = failure.getClass().getSimpleName()
				+ ((failure.getMessage() != null) ? ": " + failure.getMessage() : "");
		return error("PROCESSOR", message, false);
	}

	/**
	 * The {@code error} payload of a reader that cannot be served to the end.
	 * @param type why
	 * @param message what happened
	 * @return the JSON, type {@code RESUME_<type>}, retryable only for
	 * {@link ResumeErrorType#UNAVAILABLE}
	 */
	static String readFailed(ResumeErrorType type, @Nullable String message) {
		return error("RESUME_" + type.name(), (message != null) ? message : type.name(),
				type == ResumeErrorType.UNAVAILABLE);
	}

	private static String error(String type, String message, boolean retryable) {
		ObjectNode node = MAPPER.createObjectNode();
		node.put("type", type);
		node.put("message", Secrets.redact(message, null));
		node.put("retryable", retryable);
		node.put("partialText", "");
		return node.toString();
	}

}
