package io.steer.llm.observation;

/**
 * How an observed stream ended, the {@code outcome} key of its observation and meters.
 */
public enum StreamOutcome {

	/** The stream completed: its last event was a complete event. */
	SUCCESS("success"),

	/** The stream failed: its last event was an error event. */
	ERROR("error"),

	/** The subscriber cancelled the stream before its terminal event. */
	CANCELLED("cancelled"),

	/** The stream ended without a terminal event seen by the observation. */
	UNKNOWN("UNKNOWN");

	private final String value;

	StreamOutcome(String value) {
		this.value = value;
	}

	/**
	 * The tag value.
	 * @return {@code success}, {@code error}, {@code cancelled} or {@code UNKNOWN}
	 */
	public String value() {
		return this.value;
	}

}
