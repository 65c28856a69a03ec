package io.steer.llm.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.steer.llm.retry.StreamingRetryManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Calls {@link StreamingRetryManager#cleanupOldStates()}, which runs the upkeep of the
 * manager's Caffeine cache, every {@code steer.streaming.state-cleanup-interval}, on one
 * daemon thread named {@value #THREAD_NAME}, from the start of the application context to
 * its stop. Logs how many states expired since the last run at DEBUG level, and a failure
 * at WARN level without stopping later runs. With a zero interval nothing is scheduled:
 * expired states are then removed only by the upkeep the cache does while streams begin
 * or update their state.
 * <p>
 * Caffeine has no thread of its own: in an application that goes quiet, up to
 * {@code max-states} expired states, each with the partial text of its response, would
 * stay in memory until the next stream. A Caffeine {@code Scheduler} would wait in wall
 * time for expiry computed on the manager's clock, and could not be turned off or logged
 * through the interval; this bean can.
 */
final class StreamingStateCleanup implements SmartLifecycle {

	/** Name of the thread that runs the cleanup. */
	static final String THREAD_NAME = "steer-streaming-state-cleanup";

	private static final Log logger = LogFactory.getLog(StreamingStateCleanup.class);

	private final StreamingRetryManager retryManager;

	private final Duration interval;

	private final Object lifecycleMonitor = new Object();

	private @Nullable ScheduledExecutorService executor;

	/**
	 * Creates the cleanup.
	 * @param retryManager the manager to clean up
	 * @param interval the time between the end of one run and the start of the next; zero
	 * for no scheduled cleanup
	 */
	StreamingStateCleanup(StreamingRetryManager retryManager, Duration interval) {
		if (interval.isNegative()) {
			throw new IllegalArgumentException("interval must not be negative, was " + interval);
		}
		this.retryManager = retryManager;
		this.interval = interval;
	}

	@Override
	public boolean isAutoStartup() {
		return !this.interval.isZero();
	}

	/**
	 * Schedules the cleanup, unless it is running already or its interval is zero.
	 */
	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.executor != null || this.interval.isZero()) {
				return;
			}
			ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, THREAD_NAME);
				thread.setDaemon(true);
				return thread;
			});
			long nanos = nanos(this.interval);
			executor.scheduleWithFixedDelay(this::cleanup, nanos, nanos, TimeUnit.NANOSECONDS);
			this.executor = executor;
		}
	}

	/**
	 * Cancels the cleanup and interrupts a run in progress; returns without waiting for
	 * it.
	 */
	@Override
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			if (this.executor != null) {
				this.executor.shutdownNow();
				this.executor = null;
			}
		}
	}

	@Override
	public boolean isRunning() {
		synchronized (this.lifecycleMonitor) {
			return this.executor != null;
		}
	}

	/**
	 * Removes the expired states once.
	 * @return how many states were removed, or {@code -1} when the manager failed
	 */
	int cleanup() {
		try {
			int removed = this.retryManager.cleanupOldStates();
			if (logger.isDebugEnabled()) {
				logger
					.debug("Removed " + removed + " expired streaming state(s); " + this.retryManager.size() + " left");
			}
			return removed;
		}
		catch (RuntimeException ex) {
			// an exception thrown out of a scheduled task would cancel every later run
			logger.warn("Failed to remove expired streaming states", ex);
			return -1;
		}
	}

	Duration interval() {
		return this.interval;
	}

	private static long nanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

}
