package io.steer.llm.resume;

/**
 * Why a resumable stream could not be started, read or written
 * ({@link ResumeException#getErrorType()}); readers get it as the {@code type} of an
 * {@code error} event, prefixed {@code RESUME_} (for example {@code RESUME_OVERFLOW}).
 */
public enum ResumeErrorType {

	/** No stream ever had this id (HTTP 404). */
	NOT_FOUND,

	/** The stream's events expired (HTTP 204: the browser stops reconnecting). */
	GONE,

	/**
	 * The reader asked for events the store no longer keeps: it fell further behind than
	 * the store's bound ({@code max-events-per-stream}, Redis {@code MAXLEN}), or the
	 * store holds as many streams as it may and none can be evicted.
	 */
	OVERFLOW,

	/** The store could not be reached (Redis down) or failed. */
	UNAVAILABLE,

	/**
	 * The stream is still marked running but its producer stopped sending events and
	 * heartbeats for longer than the watchdog allows (its instance died).
	 */
	PRODUCER_LOST,

	/** A stream id or an event id that is not of this store's form. */
	INVALID_ID

}
