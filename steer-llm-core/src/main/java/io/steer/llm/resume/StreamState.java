package io.steer.llm.resume;

/**
 * Where a resumable stream is in its life, as its {@link StreamStore} knows it.
 */
public enum StreamState {

	/** The producer is writing events; readers get them live. */
	RUNNING,

	/**
	 * The producer wrote its last event (a {@code done}); readers get what they missed
	 * until the stream's time to live passes.
	 */
	COMPLETED,

	/**
	 * The stream existed but its events are gone (its time to live passed): a browser is
	 * told to stop reconnecting (HTTP 204).
	 */
	GONE,

	/** No stream ever had this id (HTTP 404). */
	NOT_FOUND

}
