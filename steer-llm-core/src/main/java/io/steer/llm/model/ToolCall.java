package io.steer.llm.model;

import org.jspecify.annotations.Nullable;

/**
 * A function call made by the model, as assembled from the streamed fragments.
 *
 * @param index position of the call in the model's turn (OpenAI
 * {@code tool_calls[].index})
 * @param id provider id of the call ({@code call_…}, {@code toolu_…}); {@code null} only
 * when the provider never sent one
 * @param name function name
 * @param arguments the arguments as the model wrote them: a JSON text, possibly invalid
 * when the stream was cut short
 */
public record ToolCall(int index, @Nullable String id, String name, String arguments) {

	/**
	 * A call at index 0, e.g. to replay a single earlier call in
	 * {@link Message#assistant(String, java.util.List)}.
	 * @param id provider id of the call ({@code call_…}, {@code toolu_…})
	 * @param name function name
	 * @param arguments the arguments, a JSON text
	 * @return the call
	 */
	public static ToolCall of(String id, String name, String arguments) {
		return new ToolCall(0, id, name, arguments);
	}

}
