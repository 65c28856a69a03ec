package io.steer.llm.retry;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * What is known about one request for retrying or resuming it: the HTTP attempts made,
 * the position reached in the stream, the text received so far, and when it was first and
 * last active. Created by {@link StreamingRetryManager#begin(String, String, String)}.
 * <p>
 * Thread-safe: the pipeline updates it from Reactor threads while anything may read it.
 * Each update also sets {@link #lastActivity()} from the manager's clock, which keeps the
 * state from expiring. The getters of one state are consistent with each other only
 * between two updates; a reader that needs several values of one moment, such as the
 * sequence number and the partial text to resume from, should read them on the thread
 * that updates them.
 */
public final class RetryState {

	private final Object lock = new Object();

	private final String requestId;

	private final String provider;

	private final String model;

	private final Clock clock;

	private final LongSupplier activityStamps;

	private final Consumer<RetryState> onActivity;

	private final Instant firstActivity;

	private int attempts;

	private long lastSequenceNumber = -1;

	private @Nullable String lastEventId;

	private @Nullable String responseId;

	private String partialText = "";

	private Instant lastActivity;

	private long activityStamp;

	private boolean completed;

	private @Nullable String lastError;

	/**
	 * Creates a state whose first and last activity is now.
	 * @param requestId the request id
	 * @param provider the provider name
	 * @param model the model name
	 * @param clock the clock of activity times
	 * @param activityStamps increasing numbers that order activity when the clock's times
	 * are equal
	 * @param onActivity told of each update once it is made, outside the state's lock
	 */
	RetryState(String requestId, String provider, String model, Clock clock, LongSupplier activityStamps,
			Consumer<RetryState> onActivity) {
		this.requestId = Objects.requireNonNull(requestId, "requestId must not be null");
		this.provider = Objects.requireNonNull(provider, "provider must not be null");
		this.model = Objects.requireNonNull(model, "model must not be null");
		this.clock = clock;
		this.activityStamps = activityStamps;
		this.onActivity = onActivity;
		this.firstActivity = clock.instant();
		this.lastActivity = this.firstActivity;
		this.activityStamp = activityStamps.getAsLong();
	}

	/**
	 * The id of the request, unique among the states of one manager.
	 * @return the request id
	 */
	public String requestId() {
		return this.requestId;
	}

	/**
	 * The provider the request goes to, such as {@code openai}.
	 * @return the provider name
	 */
	public String provider() {
		return this.provider;
	}

	/**
	 * The model the request asks for.
	 * @return the model name
	 */
	public String model() {
		return this.model;
	}

	/**
	 * The HTTP attempts made so far: 1 after the first request, 2 after the first retry
	 * or reconnection, and so on.
	 * @return the number of attempts, 0 before {@link #recordAttempt()} is first called
	 */
	public int attempts() {
		synchronized (this.lock) {
			return this.attempts;
		}
	}

	/**
	 * The {@code sequence_number} of the last event received from the OpenAI Responses
	 * API, from which a stream can be resumed with {@code starting_after}.
	 * @return the sequence number, or {@code -1} when none was received
	 */
	public long lastSequenceNumber() {
		synchronized (this.lock) {
			return this.lastSequenceNumber;
		}
	}

	/**
	 * The {@code id} field of the last server-sent event that had one, to send as
	 * {@code Last-Event-ID} when reconnecting.
	 * @return the event id, or {@code null} when none was received
	 */
	public @Nullable String lastEventId() {
		synchronized (this.lock) {
			return this.lastEventId;
		}
	}

	/**
	 * The provider's id of the response, such as {@code resp_…} or {@code msg_…}.
	 * @return the response id, or {@code null} until it is known
	 */
	public @Nullable String responseId() {
		synchronized (this.lock) {
			return this.responseId;
		}
	}

	/**
	 * The text received so far.
	 * @return the text, empty before any arrived
	 */
	public String partialText() {
		synchronized (this.lock) {
			return this.partialText;
		}
	}

	/**
	 * When the state was created.
	 * @return the instant, from the manager's clock
	 */
	public Instant firstActivity() {
		return this.firstActivity;
	}

	/**
	 * When the state was created or last updated; the state expires a TTL after it.
	 * @return the instant, from the manager's clock
	 */
	public Instant lastActivity() {
		synchronized (this.lock) {
			return this.lastActivity;
		}
	}

	/**
	 * Whether the request has ended, successfully or not, and will not be retried again.
	 * @return {@code true} once {@link StreamingRetryManager#complete(String)} was called
	 */
	public boolean completed() {
		synchronized (this.lock) {
			return this.completed;
		}
	}

	/**
	 * The message of the last failure.
	 * @return the message, already redacted of secrets, or {@code null} when no failure
	 * was recorded
	 */
	public @Nullable String lastError() {
		synchronized (this.lock) {
			return this.lastError;
		}
	}

	/**
	 * Records that an HTTP attempt is made: adds one to {@link #attempts()}.
	 */
	public void recordAttempt() {
		synchronized (this.lock) {
			this.attempts++;
			touch();
		}
		this.onActivity.accept(this);
	}

	/**
	 * Records the position reached in the stream. A {@code null} id or a negative
	 * sequence number leaves the value known before unchanged, so an event without an id
	 * does not erase the id of an earlier one.
	 * @param responseId the provider's response id, or {@code null} when this event does
	 * not carry it
	 * @param sequenceNumber the Responses API {@code sequence_number} of the event, or
	 * {@code -1} when it has none
	 * @param lastEventId the SSE {@code id} of the event, or {@code null} when it has
	 * none
	 * @param partialText all the text received so far (not only this event's); the string
	 * is kept, not copied
	 */
	public void recordProgress(@Nullable String responseId, long sequenceNumber, @Nullable String lastEventId,
			String partialText) {
		Objects.requireNonNull(partialText, "partialText must not be null");
		synchronized (this.lock) {
			if (responseId != null) {
				this.responseId = responseId;
			}
			if (sequenceNumber >= 0) {
				this.lastSequenceNumber = sequenceNumber;
			}
			if (lastEventId != null) {
				this.lastEventId = lastEventId;
			}
			this.partialText = partialText;
			touch();
		}
		this.onActivity.accept(this);
	}

	/**
	 * Records a failure.
	 * @param message the failure's message; it must already be free of secrets such as
	 * API keys, since it is kept and shown as is
	 */
	public void recordError(String message) {
		Objects.requireNonNull(message, "message must not be null");
		synchronized (this.lock) {
			this.lastError = message;
			touch();
		}
		this.onActivity.accept(this);
	}

	void markCompleted() {
		synchronized (this.lock) {
			this.completed = true;
			touch();
		}
		this.onActivity.accept(this);
	}

	/**
	 * Orders activity: a larger stamp means more recently active.
	 */
	long activityStamp() {
		synchronized (this.lock) {
			return this.activityStamp;
		}
	}

	private void touch() {
		this.lastActivity = this.clock.instant();
		this.activityStamp = this.activityStamps.getAsLong();
	}

	@Override
	public String toString() {
		synchronized (this.lock) {
			return "RetryState[requestId=" + this.requestId + ", provider=" + this.provider + ", model=" + this.model
					+ ", attempts=" + this.attempts + ", lastSequenceNumber=" + this.lastSequenceNumber
					+ ", lastEventId=" + this.lastEventId + ", responseId=" + this.responseId + ", partialText="
					+ this.partialText.length() + " chars, firstActivity=" + this.firstActivity + ", lastActivity="
					+ this.lastActivity + ", completed=" + this.completed + ", lastError=" + this.lastError + "]";
		}
	}

}
