package io.steer.llm.resume;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.steer.llm.provider.Secrets;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.http.codec.ServerSentEvent;

/**
 * The producer of one resumable stream: subscribes once to the stream's events,
 * requesting them all, and appends them to the {@link StreamStore} in order, one append
 * at a time, batching whatever arrived while the previous append ran (so a slow store or
 * a slow reader never slows the source, and nothing is dropped). Beside it, every
 * heartbeat interval, it tells the store it is alive and looks for abandonment, and it
 * listens for stop requests.
 * <p>
 * It ends once: after the source's own {@code done}; after an error signal of the source
 * ({@code error} then {@code done}); after the source completed without {@code done}
 * ({@code done}); on a stop request or abandonment (source cancelled, {@code stopped}
 * then {@code done}); each followed by {@link StreamStore#complete}. A store failure
 * while appending cancels the source and ends it without completing (one WARN);
 * {@link #cancel()} ends it without writing anything more.
 */
final class StreamProducer {

	private static final Log logger = LogFactory.getLog(StreamProducer.class);

	private static final String DONE = "done";

	private final StreamStore store;

	private final String streamId;

	private final ResumeSettings settings;

	private final Scheduler scheduler;

	private final Runnable onEnd;

	private final Instant startedAt;

	private final Disposable.Composite disposables = Disposables.composite();

	private final AtomicInteger wip = new AtomicInteger();

	/** What was received and is not yet appended; guarded by {@code this}. */
	private final ArrayDeque<Entry> pending = new ArrayDeque<>();

	/** The next sequence to give; guarded by {@code this}. */
	private long nextSequence;

	/** Whether an append is under way; guarded by {@code this}. */
	private boolean appending;

	/** Whether the last entry was queued (no more are taken); guarded by {@code this}. */
	private boolean closed;

	/**
	 * Whether the stream ended (completed, failed or cancelled); guarded by {@code this}.
	 */
	private boolean ended;

	StreamProducer(StreamStore store, String streamId, ResumeSettings settings, Scheduler scheduler, Runnable onEnd) {
		this.store = store;
		this.streamId = streamId;
		this.settings = settings;
		this.scheduler = scheduler;
		this.onEnd = onEnd;
		this.startedAt = now(scheduler);
	}

	/**
	 * Subscribes to the events, the stop requests and the heartbeat.
	 * @param events the source
	 */
	void start(Flux<ServerSentEvent<String>> events) {
		Duration interval = this.settings.heartbeatInterval();
		this.disposables.add(Flux.interval(interval, interval, this.scheduler)
			.onBackpressureDrop()
			.concatMap((tick) -> tick().onErrorResume((ex) -> Mono.empty()), 1)
			.subscribe((info) -> {
				if (abandoned(info)) {
					close(stopped("abandoned"));
				}
			}));
		this.disposables.add(this.store.stopRequested(this.streamId, this.settings.stopPollInterval())
			.subscribe(
					null, (ex) -> logger
						.debug("Resumable stream " + this.streamId + ": looking for stop requests failed", ex),
					this::stopRequested));
		SourceSubscriber source = new SourceSubscriber();
		this.disposables.add(source);
		events.subscribe(source);
	}

	/** Stops the stream as asked: the source is cancelled, {@code stopped} then done. */
	void stopRequested() {
		close(stopped("requested"));
	}

	/** Ends the stream at once, writing nothing more (the instance shuts down). */
	void cancel() {
		synchronized (this) {
			if (this.ended) {
				return;
			}
			this.ended = true;
			this.closed = true;
			this.pending.clear();
		}
		end();
	}

	/**
	 * A heartbeat at every tick, appended or not: skipping it after an append would let
	 * the last heartbeat age up to two intervals, past a watchdog only longer than one.
	 */
	private Mono<StreamInfo> tick() {
		return this.store.heartbeat(this.streamId).then(this.store.info(this.streamId));
	}

	private boolean abandoned(StreamInfo info) {
		if (info.state() != StreamState.RUNNING) {
			return false;
		}
		Instant reference = (info.lastRead() != null) ? info.lastRead() : this.startedAt;
		return Duration.between(reference, now(this.scheduler)).compareTo(this.settings.ttl()) > 0;
	}

	/**
	 * Queues an entry; the source's own {@code done} closes in the same step, so that a
	 * stop racing it cannot queue {@code stopped} and another {@code done} after it.
	 */
	private void offer(Entry entry) {
		boolean last = DONE.equals(entry.name());
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.pending.add(entry);
			this.closed = last;
		}
		if (last) {
			this.disposables.dispose();
		}
		drain();
	}

	/**
	 * Queues the last entries, then {@code done}, and cancels the source, the stop
	 * listener and the heartbeat; does nothing once closed.
	 */
	private void close(Entry... last) {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			for (Entry entry : last) {
				this.pending.add(entry);
			}
			this.pending.add(new Entry(DONE, ResumePayloads.DONE));
		}
		this.disposables.dispose();
		drain();
	}

	private void drain() {
		if (this.wip.getAndIncrement() != 0) {
			return;
		}
		int missed = 1;
		do {
			step();
			missed = this.wip.addAndGet(-missed);
		}
		while (missed != 0);
	}

	/** Starts the next append, or the completion, when nothing is under way. */
	private void step() {
		List<StoredEvent> batch = null;
		boolean complete = false;
		synchronized (this) {
			if (this.ended || this.appending) {
				return;
			}
			if (!this.pending.isEmpty()) {
				batch = new ArrayList<>(this.pending.size());
				while (!this.pending.isEmpty()) {
					Entry entry = this.pending.poll();
					batch.add(new StoredEvent(this.nextSequence++, entry.name(), entry.data()));
				}
				this.appending = true;
			}
			else if (this.closed) {
				this.ended = true;
				complete = true;
			}
		}
		if (batch != null) {
			this.store.append(this.streamId, batch).subscribe(null, this::storeFailed, () -> {
				synchronized (this) {
					this.appending = false;
				}
				drain();
			});
		}
		else if (complete) {
			this.store.complete(this.streamId).subscribe(null, (ex) -> {
				warn(ex);
				end();
			}, this::end);
		}
	}

	private void storeFailed(Throwable failure) {
		synchronized (this) {
			this.ended = true;
			this.closed = true;
			this.pending.clear();
		}
		warn(failure);
		end();
	}

	private void warn(Throwable failure) {
		String reason = (failure instanceof ResumeException resume) ? resume.getErrorType().name()
				: failure.getClass().getSimpleName();
		logger.warn("Resumable stream " + this.streamId + " stopped: its store failed (" + reason + ": "
				+ Secrets.redact(failure.getMessage(), null) + "); readers get the store's error");
	}

	private void end() {
		this.disposables.dispose();
		this.onEnd.run();
	}

	static Instant now(Scheduler scheduler) {
		return Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS));
	}

	private static Entry stopped(String reason) {
		return new Entry(ResumableStreams.STOPPED, ResumePayloads.stoppedData(reason));
	}

	private record Entry(String name, String data) {
	}

	/** The one subscription to the source: requests everything, queues each event. */
	private final class SourceSubscriber extends BaseSubscriber<ServerSentEvent<String>> {

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		protected void hookOnNext(ServerSentEvent<String> event) {
			String name = (event.event() != null) ? event.event() : "message";
			String data = (event.data() != null) ? event.data() : "";
			offer(new Entry(name, data));
		}

		@Override
		protected void hookOnError(Throwable failure) {
			close(new Entry("error", ResumePayloads.sourceFailed(failure)));
		}

		@Override
		protected void hookOnComplete() {
			close();
		}

	}

}
