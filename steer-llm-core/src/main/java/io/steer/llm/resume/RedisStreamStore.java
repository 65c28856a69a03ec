package io.steer.llm.resume;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.stream.ByteBufferRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;

/**
 * A {@link StreamStore} in Redis Streams, through Spring Data Redis's reactive API, so
 * that every instance connected to the same Redis serves every stream.
 * <p>
 * Layout, per stream id {@code <id>} and key prefix {@code <prefix>} (the id in braces is
 * a Redis Cluster hash tag, so that both keys live in one slot and one script may touch
 * both):
 * <ul>
 * <li>{@code <prefix>{<id>}:events}, a Redis Stream: the event of sequence {@code s} is
 * the entry of id {@code 0-(s+1)} with the fields {@code name} (UTF-8) and {@code data}
 * (the bytes of the {@link PayloadCodec}), added with
 * {@code XADD key MAXLEN ~ maxEventsPerStream 0-(s+1) name … data …}, so that reading
 * after sequence {@code s} is {@code XREAD BLOCK pollTimeout STREAMS key 0-(s+1)}. It is
 * created empty with the stream ({@code XGROUP CREATE … MKSTREAM}, a consumer group
 * nobody uses), so that its absence means the events expired. {@link #complete} adds the
 * entry {@code 1-0} ({@code completed 1}), after every event, so that a reader blocked in
 * {@code XREAD} wakes up at once and ends.</li>
 * <li>{@code <prefix>{<id>}:meta}, a hash: {@code state} ({@code RUNNING},
 * {@code COMPLETED}), {@code next} (the next sequence), {@code lastHeartbeat} and
 * {@code lastRead} (epoch milliseconds on the store's scheduler), {@code stop}
 * ({@code 0}/{@code 1}) and {@code ttl} (milliseconds).</li>
 * </ul>
 * Writes are Lua scripts, so each is atomic. Both keys carry a Redis expiry: while the
 * stream runs, every append and heartbeat sets the events' to {@code ttl} and the meta's
 * to {@code ttl + goneRetention} (a producer that died leaves nothing behind for ever);
 * {@link #complete} sets them the same way once more. A stream whose meta exists without
 * its events is {@link StreamState#GONE}; with neither it is
 * {@link StreamState#NOT_FOUND}.
 * <p>
 * Bounds: {@code MAXLEN ~} trims whole nodes of entries, so Redis may hold somewhat more
 * than {@code maxEventsPerStream}; the store enforces the bound exactly all the same: the
 * oldest event a reader may get is the later of the oldest entry kept and
 * {@code next - maxEventsPerStream} ({@link StreamInfo#firstSequence()}), and a reader
 * that needs an older one gets {@link ResumeErrorType#OVERFLOW}.
 * <p>
 * A reader holds one Redis connection of its own while it reads (a blocking {@code XREAD}
 * takes Spring Data Redis's dedicated connection), and loops: a script reads the state
 * and records the read, then {@code XREAD} fetches what is there, or blocks up to
 * {@code pollTimeout} when the reader is caught up. {@link #stopRequested} polls the
 * meta's {@code stop} field every {@code pollInterval} (no pub/sub: a poll cannot miss a
 * message sent before it subscribed).
 * <p>
 * Every Redis command is bounded: {@code commandTimeout}, or
 * {@code pollTimeout + commandTimeout} for a blocking read, on real time (Redis answers
 * in real time, whatever the store's scheduler). Any Redis failure (connection refused or
 * dropped, timeout, error reply) is signalled as {@link ResumeErrorType#UNAVAILABLE},
 * mid-read too, so that a reader never hangs when Redis dies.
 */
public final class RedisStreamStore implements StreamStore {

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

	private static final int READ_BATCH = 512;

	private static final String CREATE = """
			if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
			redis.call('XGROUP', 'CREATE', KEYS[1], 'steer', '$', 'MKSTREAM')
			redis.call('HSET', KEYS[2], 'state', 'RUNNING', 'next', '0', 'lastHeartbeat', ARGV[3], 'stop', '0', 'ttl', ARGV[1])
			redis.call('PEXPIRE', KEYS[1], ARGV[1])
			redis.call('PEXPIRE', KEYS[2], ARGV[1] + ARGV[2])
			return 1
			""";

	/**
	 * ARGV: maxLen, now, goneRetention, first sequence, next sequence after the events,
	 * then id, name, data per event.
	 */
	private static final String APPEND = """
			if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
			if redis.call('EXISTS', KEYS[1]) == 0 then return -2 end
			local f = redis.call('HMGET', KEYS[2], 'state', 'next', 'ttl')
			if f[1] ~= 'RUNNING' then return -3 end
			if f[2] ~= ARGV[4] then return -4 end
			for i = 6, #ARGV, 3 do
				redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], ARGV[i], 'name', ARGV[i + 1], 'data', ARGV[i + 2])
			end
			redis.call('HSET', KEYS[2], 'next', ARGV[5], 'lastHeartbeat', ARGV[2])
			redis.call('PEXPIRE', KEYS[1], f[3])
			redis.call('PEXPIRE', KEYS[2], f[3] + ARGV[3])
			return 1
			""";

	/** ARGV: now, goneRetention. */
	private static final String HEARTBEAT = """
			if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
			if redis.call('EXISTS', KEYS[1]) == 0 then return -2 end
			local f = redis.call('HMGET', KEYS[2], 'state', 'ttl')
			if f[1] ~= 'RUNNING' then return 0 end
			redis.call('HSET', KEYS[2], 'lastHeartbeat', ARGV[1])
			redis.call('PEXPIRE', KEYS[1], f[2])
			redis.call('PEXPIRE', KEYS[2], f[2] + ARGV[2])
			return 1
			""";

	/** ARGV: goneRetention. */
	private static final String COMPLETE = """
			if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
			if redis.call('EXISTS', KEYS[1]) == 0 then return -2 end
			local f = redis.call('HMGET', KEYS[2], 'state', 'ttl')
			if f[1] ~= 'RUNNING' then return 0 end
			redis.call('HSET', KEYS[2], 'state', 'COMPLETED')
			redis.call('XADD', KEYS[1], '1-0', 'completed', '1')
			redis.call('PEXPIRE', KEYS[1], f[2])
			redis.call('PEXPIRE', KEYS[2], f[2] + ARGV[1])
			return 1
			""";

	private static final String STOP = """
			if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
			if redis.call('EXISTS', KEYS[1]) == 0 then return -2 end
			if redis.call('HGET', KEYS[2], 'state') ~= 'RUNNING' then return 0 end
			redis.call('HSET', KEYS[2], 'stop', '1')
			return 1
			""";

	/**
	 * ARGV: now to record as the last read, or empty. Returns the state (or
	 * NOT_FOUND/GONE), next, lastHeartbeat, lastRead, stop, the first entry's id.
	 */
	private static final String STATUS = """
			if redis.call('EXISTS', KEYS[2]) == 0 then return {'NOT_FOUND'} end
			if redis.call('EXISTS', KEYS[1]) == 0 then return {'GONE'} end
			if ARGV[1] ~= '' then redis.call('HSET', KEYS[2], 'lastRead', ARGV[1]) end
			local f = redis.call('HMGET', KEYS[2], 'state', 'next', 'lastHeartbeat', 'lastRead', 'stop')
			local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
			local firstId = ''
			if #first > 0 then firstId = first[1][1] end
			return {f[1] or '', f[2] or '0', f[3] or '', f[4] or '', f[5] or '0', firstId}
			""";

	private static final ByteBuffer NAME = utf8("name");

	private static final ByteBuffer DATA = utf8("data");

	private final ReactiveRedisConnectionFactory connectionFactory;

	private final String keyPrefix;

	private final int maxEventsPerStream;

	private final Duration goneRetention;

	private final PayloadCodec codec;

	private final Duration pollTimeout;

	private final Duration commandTimeout;

	private final Scheduler scheduler;

	private final Scheduler timeoutScheduler = Schedulers.parallel();

	private RedisStreamStore(Builder builder) {
		this.connectionFactory = builder.connectionFactory;
		this.keyPrefix = builder.keyPrefix;
		this.maxEventsPerStream = builder.maxEventsPerStream;
		this.goneRetention = builder.goneRetention;
		this.codec = builder.codec;
		this.pollTimeout = builder.pollTimeout;
		this.commandTimeout = builder.commandTimeout;
		this.scheduler = builder.scheduler;
	}

	/**
	 * A builder of a store on a connection factory (for example Spring Boot's
	 * {@code LettuceConnectionFactory}).
	 * @param connectionFactory the Redis connections
	 * @return the builder, with the defaults: key prefix {@code steer:stream:}, 10 000
	 * events per stream, gone for 1 hour, plain payloads, a 1 s blocking poll, a 2 s
	 * command timeout, {@link Schedulers#parallel()}
	 */
	public static Builder builder(ReactiveRedisConnectionFactory connectionFactory) {
		return new Builder(connectionFactory);
	}

	@Override
	public Mono<Void> create(String streamId, Duration ttl) {
		Objects.requireNonNull(ttl, "ttl must not be null");
		return checked(streamId,
				() -> evalLong(CREATE, streamId, millis(ttl), millis(this.goneRetention), now())
					.flatMap((result) -> (result == 1) ? Mono.<Void>empty()
							: Mono.error(error(ResumeErrorType.INVALID_ID, streamId, "already exists"))));
	}

	@Override
	public Mono<Void> append(String streamId, List<StoredEvent> events) {
		Objects.requireNonNull(events, "events must not be null");
		if (events.isEmpty()) {
			return heartbeat(streamId);
		}
		return checked(streamId, () -> {
			long first = events.get(0).sequence();
			List<String> args = new ArrayList<>();
			for (int i = 0; i < events.size(); i++) {
				if (events.get(i).sequence() != first + i) {
					return Mono.error(new IllegalArgumentException("Events appended to stream " + streamId
							+ " must follow one another: " + events.get(i).sequence() + " after " + (first + i - 1)));
				}
			}
			List<ByteBuffer> buffers = new ArrayList<>();
			buffers.add(utf8(Integer.toString(this.maxEventsPerStream)));
			buffers.add(utf8(now()));
			buffers.add(utf8(millis(this.goneRetention)));
			buffers.add(utf8(Long.toString(first)));
			buffers.add(utf8(Long.toString(first + events.size())));
			for (StoredEvent event : events) {
				buffers.add(utf8(entryId(event.sequence())));
				buffers.add(utf8(event.name()));
				buffers.add(ByteBuffer.wrap(this.codec.encode(event.data())));
			}
			return eval(APPEND, ReturnType.INTEGER, streamId, buffers).map(Long.class::cast).flatMap((result) -> {
				if (result == -4) {
					return Mono.error(new IllegalArgumentException("Events appended to stream " + streamId
							+ " must follow the last one appended, not start at " + first));
				}
				return absentOrEmpty(result, streamId);
			});
		});
	}

	@Override
	public Mono<Void> heartbeat(String streamId) {
		return checked(streamId, () -> evalLong(HEARTBEAT, streamId, now(), millis(this.goneRetention))
			.flatMap((result) -> absentOrEmpty(result, streamId)));
	}

	@Override
	public Mono<Void> complete(String streamId) {
		return checked(streamId, () -> evalLong(COMPLETE, streamId, millis(this.goneRetention))
			.flatMap((result) -> absentOrEmpty(result, streamId)));
	}

	@Override
	public Mono<Boolean> requestStop(String streamId) {
		return checked(streamId, () -> evalLong(STOP, streamId)
			.flatMap((result) -> absentOrEmpty(result, streamId).thenReturn(result == 1)));
	}

	@Override
	public Mono<Void> stopRequested(String streamId, Duration pollInterval) {
		Objects.requireNonNull(pollInterval, "pollInterval must not be null");
		return checked(streamId, () -> Flux.interval(Duration.ZERO, pollInterval, this.scheduler)
			// a poll slower than the interval skips ticks
			.onBackpressureDrop()
			.concatMap((tick) -> withConnection(
					(connection) -> connection.hashCommands().hGet(utf8(metaKey(streamId)), utf8("stop")))
				.map(RedisStreamStore::string)
				.map("1"::equals)
				.timeout(this.commandTimeout, this.timeoutScheduler)
				// a failed poll is not a stop request: look again next time
				.onErrorReturn(false)
				.defaultIfEmpty(false), 1)
			.filter(Boolean::booleanValue)
			.next()
			.then());
	}

	@Override
	public Mono<StreamInfo> info(String streamId) {
		return checked(streamId,
				() -> withConnection((connection) -> status(connection, streamId, false)).map(Status::info));
	}

	@Override
	public Flux<StoredEvent> read(String streamId, long afterSequence) {
		if (!validId(streamId)) {
			return Flux.error(invalidId(streamId));
		}
		if (afterSequence < -1) {
			return Flux.error(error(ResumeErrorType.INVALID_ID, streamId, "cannot be read after " + afterSequence));
		}
		return Flux
			.usingWhen(Mono.fromSupplier(this.connectionFactory::getReactiveConnection),
					(connection) -> step(connection, streamId, afterSequence)
						.expand((step) -> step.last() ? Mono.empty() : step(connection, streamId, step.cursor())),
					ReactiveRedisConnection::closeLater)
			// one round at a time: a slow reader leaves the events in Redis
			.concatMapIterable(Step::events, 1)
			.onErrorMap((ex) -> !(ex instanceof ResumeException), (ex) -> unavailable(streamId, ex));
	}

	/**
	 * One round of a reader: the state (recording the read), then what there is to read
	 * after {@code cursor}, waiting for it when the reader is caught up.
	 */
	private Mono<Step> step(ReactiveRedisConnection connection, String streamId, long cursor) {
		return status(connection, streamId, true).flatMap((status) -> {
			if (status.state() == StreamState.NOT_FOUND || status.state() == StreamState.GONE) {
				return Mono.error(
						error((status.state() == StreamState.GONE) ? ResumeErrorType.GONE : ResumeErrorType.NOT_FOUND,
								streamId, "is not there"));
			}
			long needed = cursor + 1;
			if (needed < status.next()) {
				if (needed < status.first()) {
					return Mono.error(overflow(streamId, needed, status.first()));
				}
				return xread(connection, streamId, cursor, false).map((events) -> step(streamId, cursor, events));
			}
			if (status.state() == StreamState.COMPLETED) {
				return Mono.just(new Step(List.of(), cursor, true));
			}
			return xread(connection, streamId, cursor, true).map((events) -> step(streamId, cursor, events));
		});
	}

	private Step step(String streamId, long cursor, List<StoredEvent> events) {
		if (events.isEmpty()) {
			return new Step(events, cursor, false);
		}
		if (events.get(0).sequence() != cursor + 1) {
			// trimmed between the state and the read
			throw overflow(streamId, cursor + 1, events.get(0).sequence());
		}
		return new Step(events, events.get(events.size() - 1).sequence(), false);
	}

	private Mono<List<StoredEvent>> xread(ReactiveRedisConnection connection, String streamId, long cursor,
			boolean block) {
		StreamReadOptions options = StreamReadOptions.empty().count(READ_BATCH);
		Duration timeout = this.commandTimeout;
		if (block) {
			options = options.block(this.pollTimeout);
			timeout = timeout.plus(this.pollTimeout);
		}
		StreamOffset<ByteBuffer> offset = StreamOffset.create(utf8(eventsKey(streamId)),
				ReadOffset.from(entryId(cursor)));
		return connection.streamCommands()
			.xRead(options, offset)
			.mapNotNull(this::event)
			.collectList()
			.timeout(timeout, this.timeoutScheduler);
	}

	private @Nullable StoredEvent event(ByteBufferRecord record) {
		if (record.getId().getTimestamp() != 0) {
			// the completion marker
			return null;
		}
		long sequence = record.getId().getSequence() - 1;
		Map<ByteBuffer, ByteBuffer> fields = record.getValue();
		ByteBuffer name = fields.get(NAME.duplicate());
		ByteBuffer data = fields.get(DATA.duplicate());
		if (name == null || data == null) {
			throw new IllegalStateException(
					"Entry " + record.getId() + " of " + record.getStream() + " is not an event of a RedisStreamStore");
		}
		return new StoredEvent(sequence, string(name), this.codec.decode(bytes(data)));
	}

	private Mono<Status> status(ReactiveRedisConnection connection, String streamId, boolean markRead) {
		List<ByteBuffer> args = List.of(utf8(markRead ? now() : ""));
		return connection.scriptingCommands()
			.eval(utf8(STATUS), ReturnType.MULTI, 2, keysAnd(streamId, args))
			.collectList()
			.map((reply) -> Status.of(streamId, flatten(reply), this.maxEventsPerStream))
			.timeout(this.commandTimeout, this.timeoutScheduler);
	}

	private Mono<Long> evalLong(String script, String streamId, String... args) {
		List<ByteBuffer> buffers = new ArrayList<>();
		for (String arg : args) {
			buffers.add(utf8(arg));
		}
		return eval(script, ReturnType.INTEGER, streamId, buffers).map(Long.class::cast);
	}

	private Mono<Object> eval(String script, ReturnType returnType, String streamId, List<ByteBuffer> args) {
		return withConnection((connection) -> connection.scriptingCommands()
			.eval(utf8(script), returnType, 2, keysAnd(streamId, args))
			.next()).timeout(this.commandTimeout, this.timeoutScheduler);
	}

	private <T> Mono<T> withConnection(Function<ReactiveRedisConnection, Mono<T>> action) {
		return Mono.usingWhen(Mono.fromSupplier(this.connectionFactory::getReactiveConnection), action,
				ReactiveRedisConnection::closeLater);
	}

	private ByteBuffer[] keysAnd(String streamId, List<ByteBuffer> args) {
		ByteBuffer[] keysAndArgs = new ByteBuffer[2 + args.size()];
		keysAndArgs[0] = utf8(eventsKey(streamId));
		keysAndArgs[1] = utf8(metaKey(streamId));
		for (int i = 0; i < args.size(); i++) {
			keysAndArgs[2 + i] = args.get(i);
		}
		return keysAndArgs;
	}

	/**
	 * Runs an operation on a valid id, lazily, mapping every failure that is not already
	 * one to {@link ResumeErrorType#UNAVAILABLE} (an {@link IllegalArgumentException} of
	 * a wrong sequence passes as it is).
	 */
	private <T> Mono<T> checked(String streamId, java.util.function.Supplier<Mono<T>> operation) {
		Objects.requireNonNull(streamId, "streamId must not be null");
		return Mono.defer(() -> validId(streamId) ? operation.get() : Mono.<T>error(invalidId(streamId)))
			.onErrorMap((ex) -> !(ex instanceof ResumeException) && !(ex instanceof IllegalArgumentException),
					(ex) -> unavailable(streamId, ex));
	}

	private static Mono<Void> absentOrEmpty(long result, String streamId) {
		if (result == -1) {
			return Mono.error(error(ResumeErrorType.NOT_FOUND, streamId, "was never created (or expired long ago)"));
		}
		if (result == -2) {
			return Mono.error(error(ResumeErrorType.GONE, streamId, "expired"));
		}
		if (result == -3) {
			return Mono.error(error(ResumeErrorType.GONE, streamId, "is completed: it takes no more events"));
		}
		return Mono.empty();
	}

	private String eventsKey(String streamId) {
		return this.keyPrefix + "{" + streamId + "}:events";
	}

	private String metaKey(String streamId) {
		return this.keyPrefix + "{" + streamId + "}:meta";
	}

	private String now() {
		return Long.toString(this.scheduler.now(TimeUnit.MILLISECONDS));
	}

	private static String entryId(long sequence) {
		return "0-" + (sequence + 1);
	}

	private static String millis(Duration duration) {
		return Long.toString(Math.max(1, duration.toMillis()));
	}

	private static boolean validId(@Nullable String streamId) {
		return streamId != null && ID.matcher(streamId).matches();
	}

	private static ResumeException invalidId(String streamId) {
		return error(ResumeErrorType.INVALID_ID, streamId,
				"is not a stream id (letters, digits, '-' and '_', 1 to 128 characters)");
	}

	private static ResumeException overflow(String streamId, long needed, long first) {
		return error(ResumeErrorType.OVERFLOW, streamId,
				"no longer keeps event " + needed + " (the oldest kept is " + first + ")");
	}

	private static ResumeException unavailable(String streamId, Throwable cause) {
		return new ResumeException(ResumeErrorType.UNAVAILABLE, streamId,
				"Redis failed for stream " + streamId + " (" + cause.getClass().getSimpleName() + ")", cause);
	}

	private static ResumeException error(ResumeErrorType type, String streamId, String what) {
		return new ResumeException(type, streamId, "Stream " + streamId + " " + what, null);
	}

	private static List<String> flatten(List<?> reply) {
		List<String> values = new ArrayList<>();
		for (Object element : reply) {
			if (element instanceof List<?> list) {
				values.addAll(flatten(list));
			}
			else {
				values.add(string(element));
			}
		}
		return values;
	}

	private static String string(@Nullable Object value) {
		if (value instanceof ByteBuffer buffer) {
			return new String(bytes(buffer), StandardCharsets.UTF_8);
		}
		if (value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return (value != null) ? value.toString() : "";
	}

	private static byte[] bytes(ByteBuffer buffer) {
		ByteBuffer copy = buffer.duplicate();
		byte[] bytes = new byte[copy.remaining()];
		copy.get(bytes);
		return bytes;
	}

	private static ByteBuffer utf8(String value) {
		return ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public String toString() {
		return "RedisStreamStore[keyPrefix=" + this.keyPrefix + ", maxEventsPerStream=" + this.maxEventsPerStream
				+ ", codec=" + this.codec + "]";
	}

	/**
	 * What a reader does next: the events to emit, the last sequence read, whether done.
	 */
	private record Step(List<StoredEvent> events, long cursor, boolean last) {
	}

	/** The state script's answer. */
	private record Status(String streamId, StreamState state, long next, long first, @Nullable Instant lastHeartbeat,
			@Nullable Instant lastRead, boolean stop) {

		static Status of(String streamId, List<String> reply, int maxEventsPerStream) {
			String state = reply.get(0);
			if (reply.size() < 6) {
				StreamState absent = "GONE".equals(state) ? StreamState.GONE : StreamState.NOT_FOUND;
				return new Status(streamId, absent, 0, 0, null, null, false);
			}
			long next = Long.parseLong(reply.get(1));
			String firstId = reply.get(5);
			// an empty stream, or only the completion marker (1-0) left
			long kept = (firstId.isEmpty() || !firstId.startsWith("0-")) ? next
					: Long.parseLong(firstId.substring(2)) - 1;
			long first = Math.min(next, Math.max(kept, next - maxEventsPerStream));
			return new Status(streamId, "COMPLETED".equals(state) ? StreamState.COMPLETED : StreamState.RUNNING, next,
					first, instant(reply.get(2)), instant(reply.get(3)), "1".equals(reply.get(4)));
		}

		private static @Nullable Instant instant(String millis) {
			return millis.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(millis));
		}

		StreamInfo info() {
			if (this.state == StreamState.GONE || this.state == StreamState.NOT_FOUND) {
				return StreamInfo.absent(this.streamId, this.state);
			}
			return new StreamInfo(this.streamId, this.state, this.next, this.first, this.lastHeartbeat, this.lastRead,
					this.stop);
		}

	}

	/**
	 * Builds a {@link RedisStreamStore}.
	 */
	public static final class Builder {

		private final ReactiveRedisConnectionFactory connectionFactory;

		private String keyPrefix = "steer:stream:";

		private int maxEventsPerStream = 10_000;

		private Duration goneRetention = Duration.ofHours(1);

		private PayloadCodec codec = PayloadCodec.plain();

		private Duration pollTimeout = Duration.ofSeconds(1);

		private Duration commandTimeout = Duration.ofSeconds(2);

		private Scheduler scheduler = Schedulers.parallel();

		private Builder(ReactiveRedisConnectionFactory connectionFactory) {
			this.connectionFactory = Objects.requireNonNull(connectionFactory, "connectionFactory must not be null");
		}

		/**
		 * The prefix of every key of the store.
		 * @param keyPrefix the prefix, default {@code steer:stream:}
		 * @return this builder
		 */
		public Builder keyPrefix(String keyPrefix) {
			this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix must not be null");
			return this;
		}

		/**
		 * How many events the store keeps per stream; older ones are trimmed.
		 * @param maxEventsPerStream events, at least 1, default 10 000
		 * @return this builder
		 * @throws IllegalArgumentException if less than 1
		 */
		public Builder maxEventsPerStream(int maxEventsPerStream) {
			if (maxEventsPerStream < 1) {
				throw new IllegalArgumentException("maxEventsPerStream must be at least 1, was " + maxEventsPerStream);
			}
			this.maxEventsPerStream = maxEventsPerStream;
			return this;
		}

		/**
		 * How long a stream whose events expired is reported {@link StreamState#GONE}
		 * before it is {@link StreamState#NOT_FOUND}.
		 * @param goneRetention positive, default 1 hour
		 * @return this builder
		 * @throws IllegalArgumentException if not positive
		 */
		public Builder goneRetention(Duration goneRetention) {
			this.goneRetention = ResumeSettings.positive("goneRetention", goneRetention);
			return this;
		}

		/**
		 * How event data is kept.
		 * @param codec the codec, default {@link PayloadCodec#plain()}
		 * @return this builder
		 */
		public Builder codec(PayloadCodec codec) {
			this.codec = Objects.requireNonNull(codec, "codec must not be null");
			return this;
		}

		/**
		 * How long a caught-up reader's {@code XREAD BLOCK} waits for new events before
		 * it looks at the stream's state again.
		 * @param pollTimeout positive, default 1 s
		 * @return this builder
		 * @throws IllegalArgumentException if not positive
		 */
		public Builder pollTimeout(Duration pollTimeout) {
			this.pollTimeout = ResumeSettings.positive("pollTimeout", pollTimeout);
			return this;
		}

		/**
		 * How long a Redis command may take (a blocking read: this plus the poll timeout)
		 * before the store signals {@link ResumeErrorType#UNAVAILABLE}.
		 * @param commandTimeout positive, default 2 s
		 * @return this builder
		 * @throws IllegalArgumentException if not positive
		 */
		public Builder commandTimeout(Duration commandTimeout) {
			this.commandTimeout = ResumeSettings.positive("commandTimeout", commandTimeout);
			return this;
		}

		/**
		 * The store's clock (the instants of {@link StreamInfo}) and the timer of
		 * {@link #stopRequested}'s polls.
		 * @param scheduler the scheduler, default {@link Schedulers#parallel()}
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
		public RedisStreamStore build() {
			return new RedisStreamStore(this);
		}

	}

}
