package io.steer.llm.json;

import java.util.List;
import java.util.Objects;

import tools.jackson.databind.JsonNode;

/**
 * The JSON value of a streamed answer (or of a tool call's arguments) as far as it has
 * arrived, repaired so that it is whole: open strings, arrays and objects closed, a key
 * without its value and an unfinished number or literal dropped (the technique of
 * Vercel's {@code parsePartialJson}). Carried by the {@code StreamDeltaEvent} whose text
 * changed it; a delta that changed nothing carries none.
 * <p>
 * The value is shared with later snapshots where it no longer changes (a closed object or
 * array): treat it as read-only.
 *
 * @param value the value so far: an object, an array, or, for a top-level scalar, the
 * scalar once complete
 * @param changedPaths JSON Pointers (RFC 6901) of the values this delta added or
 * extended, outermost first ({@code ""} for the root, {@code "/items/3/price"}); never
 * empty
 * @param complete whether the top-level value is closed: no later snapshot of it follows
 * @param completedElements for a top-level array, how many of its elements are closed
 * (each may be read as a whole); else 0
 */
public record JsonSnapshot(JsonNode value, List<String> changedPaths, boolean complete, int completedElements) {

	/**
	 * Creates a snapshot, copying the paths.
	 * @param value the value so far
	 * @param changedPaths JSON Pointers of the values the delta added or extended
	 * @param complete whether the top-level value is closed
	 * @param completedElements closed elements of a top-level array, else 0
	 * @throws NullPointerException if {@code value} or {@code changedPaths} is
	 * {@code null}
	 * @throws IllegalArgumentException if {@code completedElements} is negative
	 */
	public JsonSnapshot {
		Objects.requireNonNull(value, "value must not be null");
		changedPaths = List.copyOf(changedPaths);
		if (completedElements < 0) {
			throw new IllegalArgumentException("completedElements must not be negative: " + completedElements);
		}
	}

}
