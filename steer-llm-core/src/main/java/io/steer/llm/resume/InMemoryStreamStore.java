package io.steer.llm.resume;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A {@link StreamStore} in this JVM's memory: the default, for one instance (readers on
 * other instances need a shared store such as Redis).
 * <p>
 * Bounded twice: by streams ({@link Builder#maxStreams}; when full, {@link #create}
 * evicts a stream that is no longer running, a {@link StreamState#GONE} one first, then
 * the completed one that completed first, and signals {@link ResumeErrorType#OVERFLOW}
 * when every stream is running), and by events per stream
 * ({@link Builder#maxEventsPerStream}: a ring, the oldest event is trimmed). A completed
 * stream's events are dropped {@code ttl} after {@link #complete}; the stream is then
 * {@link StreamState#GONE} for {@link Builder#goneRetention}, then
 * {@link StreamState#NOT_FOUND}. Expiry is lazy (checked on every access, and swept on
 * {@link #create}): no thread of its own. All time comes from the scheduler's clock
 * ({@link Scheduler#now}), so that tests drive it with a virtual-time scheduler.
 * <p>
 * A reader keeps its own position in its stream and takes events from the ring as it
 * requests them; an append wakes the stream's readers, which emit on the appending thread
 * only what they were asked for. So a reader gets every event after its position once and
 * in order however it races the appender, and a slow reader never holds an append up: it
 * falls behind, and when the event it needs next was trimmed it gets
 * {@link ResumeErrorType#OVERFLOW}. Payloads are kept as the bytes of the configured
 * {@link PayloadCodec}.
 */
public final class InMemoryStreamStore implements StreamStore {

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

	private static final int BATCH = 64;

	private final int maxStreams;

	private final int maxEventsPerStream;

	private final long goneRetentionMillis;

	private final PayloadCodec codec;

	private final Scheduler scheduler;

	private final Map<String, Entry> streams = new ConcurrentHashMap<>();

	private InMemoryStreamStore(Builder builder) {
		this.maxStreams = builder.maxStreams;
		this.maxEventsPerStream = builder.maxEventsPerStream;
		this.goneRetentionMillis = builder.goneRetention.toMillis();
		this.codec = builder.codec;
		this.scheduler = builder.scheduler;
	}

	/**
	 * A store with the defaults: 1,000 streams, 10,000 events per stream, gone for an
	 * hour after expiry, payloads kept {@link PayloadCodec#plain() plain}, the clock of
	 * {@link Schedulers#parallel()}.
	 * @return the store
	 */
	public static InMemoryStreamStore create() {
		return builder().build();
	}

	/**
	 * A builder, with the defaults of {@link #create()}.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	@Override
	public Mono<Void> create(String streamId, Duration ttl) {
		return Mono.fromRunnable(() -> {
			checkId(streamId);
			ResumeSettings.positive("ttl", ttl);
			long now = now();
			synchronized (this.streams) {
				sweep(now);
				if (this.streams.containsKey(streamId)) {
					throw new ResumeException(ResumeErrorType.INVALID_ID, streamId,
							"Stream '" + streamId + "' already exists", null);
				}
				if (this.streams.size() >= this.maxStreams && !evictOne(now)) {
					throw new ResumeException(ResumeErrorType.OVERFLOW, streamId, "Stream '" + streamId
							+ "' not created: the store holds " + this.maxStreams + " running streams", null);
				}
				this.streams.put(streamId, new Entry(streamId, ttl.toMillis(), now));
			}
		});
	}

	@Override
	public Mono<Void> append(String streamId, List<StoredEvent> events) {
		return Mono.fromRunnable(() -> {
			Objects.requireNonNull(events, "events must not be null");
			Entry entry = existing(streamId);
			List<Kept> kept = new ArrayList<>(events.size());
			for (StoredEvent event : events) {
				kept.add(new Kept(event.sequence(), event.name(), this.codec.encode(event.data())));
			}
			entry.append(kept, now());
			entry.wakeReaders();
		});
	}

	@Override
	public Mono<Void> heartbeat(String streamId) {
		return Mono.fromRunnable(() -> existing(streamId).heartbeat(now()));
	}

	@Override
	public Mono<Void> complete(String streamId) {
		return Mono.fromRunnable(() -> {
			Entry entry = existing(streamId);
			entry.complete(now());
			entry.wakeReaders();
		});
	}

	@Override
	public Flux<StoredEvent> read(String streamId, long afterSequence) {
		return Flux.create((sink) -> {
			Entry entry;
			try {
				if (afterSequence < -1) {
					throw new IllegalArgumentException("afterSequence must be -1 or more: " + afterSequence);
				}
				entry = existing(streamId);
			}
			catch (RuntimeException ex) {
				sink.error(ex);
				return;
			}
			entry.lastRead = now();
			Reader reader = new Reader(entry, sink, afterSequence + 1);
			sink.onDispose(() -> {
				// the time to live of an abandoned stream counts from when its last
				// reader left
				entry.lastRead = now();
				entry.readers.remove(reader);
			});
			entry.readers.add(reader);
			sink.onRequest(reader::request);
		});
	}

	@Override
	public Mono<StreamInfo> info(String streamId) {
		return Mono.fromSupplier(() -> {
			checkId(streamId);
			long now = now();
			Entry entry = lookup(streamId, now);
			if (entry == null) {
				return StreamInfo.absent(streamId, StreamState.NOT_FOUND);
			}
			return entry.info(now);
		});
	}

	@Override
	public Mono<Boolean> requestStop(String streamId) {
		return Mono.fromSupplier(() -> existing(streamId).requestStop(now()));
	}

	@Override
	public Mono<Void> stopRequested(String streamId, Duration pollInterval) {
		return Mono.defer(() -> existing(streamId).stop.asMono());
	}

	/**
	 * How many bytes the store keeps for events: the sum, over the events it still holds,
	 * of the payload bytes its {@link PayloadCodec} produced and of the UTF-8 bytes of
	 * the event names (sequences and bookkeeping not counted). Expired streams are swept
	 * first.
	 * @return the bytes, 0 when no event is kept
	 */
	public long storedBytes() {
		long now = now();
		synchronized (this.streams) {
			sweep(now);
		}
		long bytes = 0;
		for (Entry entry : this.streams.values()) {
			bytes += entry.bytes();
		}
		return bytes;
	}

	private long now() {
		return this.scheduler.now(TimeUnit.MILLISECONDS);
	}

	private static void checkId(String streamId) {
		if (streamId == null || !ID.matcher(streamId).matches()) {
			String id = (streamId != null) ? streamId : "null";
			throw new ResumeException(ResumeErrorType.INVALID_ID, id,
					"Stream id '" + id + "' is not 1 to 128 letters, digits, '-' or '_'", null);
		}
	}

	/**
	 * The entry of a stream that is there (running, completed or gone), or {@code null};
	 * drops it when its gone retention passed.
	 */
	private @Nullable Entry lookup(String streamId, long now) {
		Entry entry = this.streams.get(streamId);
		if (entry != null && entry.forgotten(now)) {
			this.streams.remove(streamId, entry);
			return null;
		}
		return entry;
	}

	/** The entry of a stream that is there and not gone, or a {@link ResumeException}. */
	private Entry existing(String streamId) {
		checkId(streamId);
		long now = now();
		Entry entry = lookup(streamId, now);
		if (entry == null) {
			throw new ResumeException(ResumeErrorType.NOT_FOUND, streamId, "Stream '" + streamId + "' not found", null);
		}
		if (entry.state(now) == StreamState.GONE) {
			throw entry.gone();
		}
		return entry;
	}

	/** Expires completed streams and forgets gone ones; holds the streams' lock. */
	private void sweep(long now) {
		Iterator<Entry> entries = this.streams.values().iterator();
		while (entries.hasNext()) {
			Entry entry = entries.next();
			if (entry.forgotten(now)) {
				entries.remove();
			}
		}
	}

	/** Evicts the stream that is the most expendable; holds the streams' lock. */
	private boolean evictOne(long now) {
		Entry victim = null;
		long lowest = Long.MAX_VALUE;
		for (Entry entry : this.streams.values()) {
			long rank = entry.evictionRank(now);
			if (rank < lowest) {
				victim = entry;
				lowest = rank;
			}
		}
		if (victim == null) {
			return false;
		}
		this.streams.remove(victim.streamId, victim);
		victim.evict();
		victim.wakeReaders();
		return true;
	}

	/** An event as kept: its payload encoded. */
	private record Kept(long sequence, String name, byte[] payload, long bytes) {

		Kept(long sequence, String name, byte[] payload) {
			this(sequence, name, payload, payload.length + name.getBytes(StandardCharsets.UTF_8).length);
		}

	}

	/** What a reader gets from its stream at its position. */
	private record Batch(List<Kept> events, boolean completed, @Nullable ResumeException error) {

	}

	/** One stream: its ring of events, its state and its readers. */
	private final class Entry {

		final String streamId;

		final long ttlMillis;

		final long createdAt;

		final List<Reader> readers = new CopyOnWriteArrayList<>();

		final Sinks.Empty<Void> stop = Sinks.empty();

		// guarded by this
		private final ArrayDeque<Kept> events = new ArrayDeque<>();

		private long nextSequence;

		private long bytes;

		private StreamState state = StreamState.RUNNING;

		private long completedAt;

		private long lastHeartbeat;

		private boolean stopRequested;

		private boolean evicted;

		volatile long lastRead = -1;

		Entry(String streamId, long ttlMillis, long now) {
			this.streamId = streamId;
			this.ttlMillis = ttlMillis;
			this.createdAt = now;
			this.lastHeartbeat = now;
		}

		/** The state, expiring a completed stream whose time to live passed. */
		synchronized StreamState state(long now) {
			if (this.state == StreamState.COMPLETED && now - this.completedAt >= this.ttlMillis) {
				this.state = StreamState.GONE;
				this.events.clear();
				this.bytes = 0;
			}
			return this.state;
		}

		/** Whether the gone retention passed too, or the stream was evicted. */
		synchronized boolean forgotten(long now) {
			return this.evicted || (state(now) == StreamState.GONE
					&& now - this.completedAt >= this.ttlMillis + InMemoryStreamStore.this.goneRetentionMillis);
		}

		/**
		 * Rank for eviction, lowest first: a gone stream by when it completed, then a
		 * completed one by when it completed; {@link Long#MAX_VALUE} for a running one.
		 */
		synchronized long evictionRank(long now) {
			return switch (state(now)) {
				case GONE -> this.completedAt - Long.MAX_VALUE / 2;
				case COMPLETED -> this.completedAt;
				default -> Long.MAX_VALUE;
			};
		}

		synchronized void evict() {
			this.evicted = true;
			this.state = StreamState.GONE;
			this.events.clear();
			this.bytes = 0;
		}

		ResumeException gone() {
			return new ResumeException(ResumeErrorType.GONE, this.streamId,
					"Stream '" + this.streamId + "' is gone: its time to live passed", null);
		}

		synchronized long bytes() {
			return this.bytes;
		}

		synchronized void append(List<Kept> kept, long now) {
			checkRunning();
			for (int i = 0; i < kept.size(); i++) {
				if (kept.get(i).sequence() != this.nextSequence + i) {
					throw new IllegalArgumentException("Stream '" + this.streamId + "' expects sequence "
							+ (this.nextSequence + i) + ", not " + kept.get(i).sequence());
				}
			}
			for (Kept event : kept) {
				this.events.addLast(event);
				this.bytes += event.bytes();
				if (this.events.size() > InMemoryStreamStore.this.maxEventsPerStream) {
					this.bytes -= this.events.removeFirst().bytes();
				}
			}
			this.nextSequence += kept.size();
			this.lastHeartbeat = now;
		}

		private void checkRunning() {
			if (this.state != StreamState.RUNNING) {
				throw new IllegalStateException("Stream '" + this.streamId + "' is " + this.state + ", not running");
			}
		}

		synchronized void heartbeat(long now) {
			if (this.state == StreamState.RUNNING) {
				this.lastHeartbeat = now;
			}
		}

		synchronized void complete(long now) {
			if (this.state == StreamState.RUNNING) {
				this.state = StreamState.COMPLETED;
				this.completedAt = now;
			}
		}

		boolean requestStop(long now) {
			boolean running;
			boolean first;
			synchronized (this) {
				StreamState current = state(now);
				if (current == StreamState.GONE) {
					throw gone();
				}
				running = current == StreamState.RUNNING;
				first = running && !this.stopRequested;
				if (running) {
					this.stopRequested = true;
				}
			}
			if (first) {
				// outside the lock: the producer cancels its provider stream on this
				this.stop.tryEmitEmpty();
			}
			return running;
		}

		synchronized StreamInfo info(long now) {
			StreamState current = state(now);
			if (current == StreamState.GONE) {
				return StreamInfo.absent(this.streamId, StreamState.GONE);
			}
			// a reader waiting for the next event reads the stream now, however long the
			// provider is silent
			long read = this.readers.isEmpty() ? this.lastRead : now;
			return new StreamInfo(this.streamId, current, this.nextSequence, this.nextSequence - this.events.size(),
					Instant.ofEpochMilli(this.lastHeartbeat), (read >= 0) ? Instant.ofEpochMilli(read) : null,
					this.stopRequested);
		}

		/** Up to {@code max} events from {@code position}, or how the reader ends. */
		synchronized Batch poll(long position, long max, long now) {
			StreamState current = state(now);
			if (current == StreamState.GONE) {
				return new Batch(List.of(), false, gone());
			}
			long first = this.nextSequence - this.events.size();
			if (position < first) {
				return new Batch(List.of(), false,
						new ResumeException(ResumeErrorType.OVERFLOW, this.streamId,
								"Stream '" + this.streamId + "' no longer keeps event " + position
										+ ": the reader fell more than " + InMemoryStreamStore.this.maxEventsPerStream
										+ " events behind",
								null));
			}
			if (position >= this.nextSequence || max == 0) {
				return new Batch(List.of(), current == StreamState.COMPLETED && position >= this.nextSequence, null);
			}
			int skip = (int) (position - first);
			int count = (int) Math.min(max, this.nextSequence - position);
			List<Kept> batch = new ArrayList<>(count);
			Iterator<Kept> iterator = this.events.iterator();
			for (int i = 0; i < skip; i++) {
				iterator.next();
			}
			for (int i = 0; i < count; i++) {
				batch.add(iterator.next());
			}
			return new Batch(batch, false, null);
		}

		void wakeReaders() {
			for (Reader reader : this.readers) {
				reader.drain();
			}
		}

	}

	/**
	 * One reader: its position, what it was asked for, and a drain loop that only one
	 * thread runs at a time (whoever requests or appends; the others leave it a note).
	 */
	private final class Reader {

		private final Entry entry;

		private final FluxSink<StoredEvent> sink;

		private final AtomicLong requested = new AtomicLong();

		private final AtomicInteger wip = new AtomicInteger();

		// touched only in drain, which one thread runs at a time
		private long position;

		private boolean done;

		Reader(Entry entry, FluxSink<StoredEvent> sink, long position) {
			this.entry = entry;
			this.sink = sink;
			this.position = position;
		}

		void request(long n) {
			this.requested.accumulateAndGet(n, Operators::addCap);
			drain();
		}

		void drain() {
			if (this.wip.getAndIncrement() != 0) {
				return;
			}
			int missed = 1;
			do {
				if (!this.done) {
					drainOnce();
				}
				missed = this.wip.addAndGet(-missed);
			}
			while (missed != 0);
		}

		private void drainOnce() {
			while (!this.sink.isCancelled()) {
				long wanted = this.requested.get();
				long now = now();
				Batch batch = this.entry.poll(this.position, Math.min(wanted, BATCH), now);
				if (batch.error() != null) {
					this.done = true;
					this.sink.error(batch.error());
					return;
				}
				if (batch.completed()) {
					this.done = true;
					this.sink.complete();
					return;
				}
				if (batch.events().isEmpty()) {
					return;
				}
				this.entry.lastRead = now;
				for (Kept kept : batch.events()) {
					this.position = kept.sequence() + 1;
					this.sink.next(new StoredEvent(kept.sequence(), kept.name(),
							InMemoryStreamStore.this.codec.decode(kept.payload())));
				}
				if (wanted != Long.MAX_VALUE) {
					this.requested.addAndGet(-batch.events().size());
				}
			}
		}

	}

	/**
	 * Builds an {@link InMemoryStreamStore}.
	 */
	public static final class Builder {

		private int maxStreams = 1000;

		private int maxEventsPerStream = 10_000;

		private Duration goneRetention = Duration.ofHours(1);

		private PayloadCodec codec = PayloadCodec.plain();

		private Scheduler scheduler = Schedulers.parallel();

		private Builder() {
		}

		/**
		 * How many streams the store holds, running, completed or gone (default 1,000).
		 * @param maxStreams at least 1
		 * @return this builder
		 * @throws IllegalArgumentException if less than 1
		 */
		public Builder maxStreams(int maxStreams) {
			if (maxStreams < 1) {
				throw new IllegalArgumentException("maxStreams must be at least 1: " + maxStreams);
			}
			this.maxStreams = maxStreams;
			return this;
		}

		/**
		 * How many events the store keeps per stream, the newest (default 10,000).
		 * @param maxEventsPerStream at least 1
		 * @return this builder
		 * @throws IllegalArgumentException if less than 1
		 */
		public Builder maxEventsPerStream(int maxEventsPerStream) {
			if (maxEventsPerStream < 1) {
				throw new IllegalArgumentException("maxEventsPerStream must be at least 1: " + maxEventsPerStream);
			}
			this.maxEventsPerStream = maxEventsPerStream;
			return this;
		}

		/**
		 * How long a stream whose events expired is still reported
		 * {@link StreamState#GONE} rather than {@link StreamState#NOT_FOUND} (default an
		 * hour).
		 * @param goneRetention zero or more
		 * @return this builder
		 * @throws IllegalArgumentException if negative
		 */
		public Builder goneRetention(Duration goneRetention) {
			Objects.requireNonNull(goneRetention, "goneRetention must not be null");
			if (goneRetention.isNegative()) {
				throw new IllegalArgumentException("goneRetention must not be negative: " + goneRetention);
			}
			this.goneRetention = goneRetention;
			return this;
		}

		/**
		 * How payloads are kept (default {@link PayloadCodec#plain()}).
		 * @param codec the codec
		 * @return this builder
		 */
		public Builder codec(PayloadCodec codec) {
			this.codec = Objects.requireNonNull(codec, "codec must not be null");
			return this;
		}

		/**
		 * Whose clock times the time to live and the gone retention, and stamps
		 * heartbeats and reads (default {@link Schedulers#parallel()}); the store runs
		 * nothing on it.
		 * @param scheduler the scheduler
		 * @return this builder
		 */
		public Builder scheduler(Scheduler scheduler) {
			this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
			return this;
		}

		/**
		 * Builds the store.
		 * @return the store
		 */
		public InMemoryStreamStore build() {
			return new InMemoryStreamStore(this);
		}

	}

}
