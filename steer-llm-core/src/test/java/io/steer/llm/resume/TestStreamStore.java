package io.steer.llm.resume;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A simple, synchronized, in-memory {@link StreamStore} for the tests of
 * {@link ResumableStreams}: its clock is a scheduler's, it keeps at most a number of
 * events per stream, a completed stream is {@link StreamState#GONE} after its ttl, and
 * switches make appends or reads fail with {@link ResumeErrorType#UNAVAILABLE} or slow
 * appends down.
 */
final class TestStreamStore implements StreamStore {

	private final Scheduler scheduler;

	private final int maxEventsPerStream;

	private final Map<String, Stream> streams = new HashMap<>();

	private final List<Reader> readers = new CopyOnWriteArrayList<>();

	private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

	private volatile boolean failAppends;

	private volatile boolean failReads;

	private volatile Duration appendDelay = Duration.ZERO;

	TestStreamStore(Scheduler scheduler) {
		this(scheduler, 10_000);
	}

	TestStreamStore(Scheduler scheduler, int maxEventsPerStream) {
		this.scheduler = scheduler;
		this.maxEventsPerStream = maxEventsPerStream;
	}

	/** Appends from now on fail with UNAVAILABLE. */
	void failAppends() {
		this.failAppends = true;
	}

	/** Reads, running ones included, fail with UNAVAILABLE from now on. */
	void failReads() {
		this.failReads = true;
		this.readers.forEach(Reader::pump);
	}

	/** Each append takes this long on the scheduler. */
	void appendDelay(Duration delay) {
		this.appendDelay = delay;
	}

	/** The number of events of each append, in order. */
	List<Integer> batchSizes() {
		return this.batchSizes;
	}

	/** The readers reading now. */
	int readerCount() {
		return this.readers.size();
	}

	/** What the stream holds, in order. */
	synchronized List<StoredEvent> events(String streamId) {
		Stream stream = this.streams.get(streamId);
		return (stream != null) ? List.copyOf(stream.events) : List.of();
	}

	private Instant now() {
		return Instant.ofEpochMilli(this.scheduler.now(TimeUnit.MILLISECONDS));
	}

	private static ResumeException failure(ResumeErrorType type, String streamId, String what) {
		return new ResumeException(type, streamId, "Resumable stream " + streamId + ": " + what, null);
	}

	/** The stream, or the reason it is not readable. Callers hold the lock. */
	private @Nullable Stream live(String streamId) {
		Stream stream = this.streams.get(streamId);
		if (stream != null && stream.completedAt != null
				&& stream.completedAt.plus(stream.ttl).isBefore(now().plusMillis(1))) {
			stream.gone = true;
			stream.events.clear();
		}
		return stream;
	}

	private static @Nullable ResumeException absent(String streamId, @Nullable Stream stream) {
		if (stream == null) {
			return failure(ResumeErrorType.NOT_FOUND, streamId, "not found");
		}
		return stream.gone ? failure(ResumeErrorType.GONE, streamId, "gone") : null;
	}

	@Override
	public Mono<Void> create(String streamId, Duration ttl) {
		return Mono.defer(() -> {
			synchronized (this) {
				if (!streamId.matches("[A-Za-z0-9_-]{1,128}") || this.streams.containsKey(streamId)) {
					return Mono.error(failure(ResumeErrorType.INVALID_ID, streamId, "invalid or taken"));
				}
				this.streams.put(streamId, new Stream(ttl, now()));
				return Mono.empty();
			}
		});
	}

	@Override
	public Mono<Void> append(String streamId, List<StoredEvent> events) {
		Mono<Void> append = Mono.defer(() -> {
			if (this.failAppends) {
				return Mono.error(failure(ResumeErrorType.UNAVAILABLE, streamId, "store down"));
			}
			synchronized (this) {
				Stream stream = live(streamId);
				ResumeException absent = absent(streamId, stream);
				if (absent != null) {
					return Mono.error(absent);
				}
				if (stream.completedAt != null) {
					return Mono.error(failure(ResumeErrorType.GONE, streamId, "completed"));
				}
				for (StoredEvent event : events) {
					if (event.sequence() != stream.nextSequence) {
						return Mono.error(new IllegalStateException(
								"sequence " + event.sequence() + " appended, expected " + stream.nextSequence));
					}
					stream.events.add(event);
					stream.nextSequence++;
				}
				while (stream.events.size() > this.maxEventsPerStream) {
					stream.events.remove(0);
				}
				stream.lastHeartbeat = now();
				this.batchSizes.add(events.size());
			}
			this.readers.forEach(Reader::pump);
			return Mono.empty();
		});
		Duration delay = this.appendDelay;
		return delay.isZero() ? append : Mono.delay(delay, this.scheduler).then(append);
	}

	@Override
	public Mono<Void> heartbeat(String streamId) {
		return Mono.fromRunnable(() -> {
			synchronized (this) {
				Stream stream = this.streams.get(streamId);
				if (stream != null) {
					stream.lastHeartbeat = now();
				}
			}
		});
	}

	@Override
	public Mono<Void> complete(String streamId) {
		return Mono.defer(() -> {
			synchronized (this) {
				Stream stream = live(streamId);
				ResumeException absent = absent(streamId, stream);
				if (absent != null) {
					return Mono.error(absent);
				}
				stream.completedAt = now();
			}
			this.readers.forEach(Reader::pump);
			return Mono.empty();
		});
	}

	@Override
	public Flux<StoredEvent> read(String streamId, long afterSequence) {
		return Flux.create((sink) -> {
			Reader reader = new Reader(streamId, afterSequence + 1, sink);
			synchronized (this) {
				Stream stream = this.streams.get(streamId);
				if (stream != null) {
					stream.lastRead = now();
				}
			}
			this.readers.add(reader);
			sink.onDispose(() -> this.readers.remove(reader));
			sink.onRequest((n) -> reader.pump());
		});
	}

	@Override
	public Mono<StreamInfo> info(String streamId) {
		return Mono.fromSupplier(() -> {
			synchronized (this) {
				Stream stream = live(streamId);
				if (stream == null) {
					return StreamInfo.absent(streamId, StreamState.NOT_FOUND);
				}
				if (stream.gone) {
					return StreamInfo.absent(streamId, StreamState.GONE);
				}
				long first = stream.nextSequence - stream.events.size();
				return new StreamInfo(streamId,
						(stream.completedAt != null) ? StreamState.COMPLETED : StreamState.RUNNING, stream.nextSequence,
						first, stream.lastHeartbeat, stream.lastRead, stream.stopRequested);
			}
		});
	}

	@Override
	public Mono<Boolean> requestStop(String streamId) {
		return Mono.defer(() -> {
			synchronized (this) {
				Stream stream = live(streamId);
				ResumeException absent = absent(streamId, stream);
				if (absent != null) {
					return Mono.error(absent);
				}
				if (stream.completedAt != null) {
					return Mono.just(false);
				}
				stream.stopRequested = true;
				return Mono.just(true);
			}
		});
	}

	@Override
	public Mono<Void> stopRequested(String streamId, Duration pollInterval) {
		return Flux.interval(pollInterval, this.scheduler).filter((tick) -> {
			synchronized (this) {
				Stream stream = this.streams.get(streamId);
				return stream != null && stream.stopRequested;
			}
		}).next().then();
	}

	private static final class Stream {

		final Duration ttl;

		final List<StoredEvent> events = new ArrayList<>();

		long nextSequence;

		Instant lastHeartbeat;

		@Nullable Instant lastRead;

		@Nullable Instant completedAt;

		boolean stopRequested;

		boolean gone;

		Stream(Duration ttl, Instant createdAt) {
			this.ttl = ttl;
			this.lastHeartbeat = createdAt;
		}

	}

	/** One reader: emits what is kept after its position, as far as it requested. */
	private final class Reader {

		private final String streamId;

		private final FluxSink<StoredEvent> sink;

		private final AtomicInteger wip = new AtomicInteger();

		private long next;

		private boolean done;

		Reader(String streamId, long next, FluxSink<StoredEvent> sink) {
			this.streamId = streamId;
			this.next = next;
			this.sink = sink;
		}

		void pump() {
			if (this.wip.getAndIncrement() != 0) {
				return;
			}
			int missed = 1;
			do {
				while (!this.done) {
					StoredEvent event = null;
					Throwable error = null;
					boolean complete = false;
					synchronized (TestStreamStore.this) {
						Stream stream = live(this.streamId);
						ResumeException absent = absent(this.streamId, stream);
						if (TestStreamStore.this.failReads) {
							error = failure(ResumeErrorType.UNAVAILABLE, this.streamId, "store down");
						}
						else if (absent != null) {
							error = absent;
						}
						else if (this.next < stream.nextSequence - stream.events.size()) {
							error = failure(ResumeErrorType.OVERFLOW, this.streamId, "trimmed");
						}
						else if (this.next < stream.nextSequence) {
							if (this.sink.requestedFromDownstream() == 0) {
								break;
							}
							event = stream.events.get((int) (this.next - (stream.nextSequence - stream.events.size())));
							this.next++;
							stream.lastRead = now();
						}
						else if (stream.completedAt != null) {
							complete = true;
						}
						else {
							break;
						}
					}
					if (event != null) {
						this.sink.next(event);
					}
					else {
						this.done = true;
						if (complete) {
							this.sink.complete();
						}
						else {
							this.sink.error(error);
						}
					}
				}
				missed = this.wip.addAndGet(-missed);
			}
			while (missed != 0);
		}

	}

}
