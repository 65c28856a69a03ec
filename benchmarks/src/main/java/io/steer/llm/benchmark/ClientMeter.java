package io.steer.llm.benchmark;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import org.jspecify.annotations.Nullable;

/**
 * Measures what the client costs during one round. The provider runs in another JVM
 * ({@link BenchmarkServer}), so every thread of this JVM is the client's:
 * <ul>
 * <li>CPU: the process CPU time ({@link OperatingSystemMXBean#getProcessCpuTime()}),
 * which counts every thread, live or dead, Java or not: event loops, schedulers, the main
 * thread, JIT compilers, GC and VM threads. A breakdown by thread comes from
 * {@link ThreadMXBean#getThreadCpuTime(long)}; what the process spent beyond its Java
 * threads is reported as VM (GC, VM operations, and the JIT threads' time outside Java
 * accounting; JDK 17 hides the compiler threads from {@code ThreadMXBean}).</li>
 * <li>Bytes allocated: {@link ThreadMXBean#getThreadAllocatedBytes(long[])} summed over
 * every Java thread but the sampler. A thread that dies during the round no longer
 * answers at the end, so a sampler thread reads every thread's count every
 * {@value #SAMPLE_MILLIS} ms and a dead thread counts up to its last sample (what it
 * allocated in its last {@value #SAMPLE_MILLIS} ms is lost; the number of such threads is
 * reported). Cross-check: the heap's own accounting, growth of the heap in use plus what
 * each GC freed (from GC notifications), which counts all threads whatever their
 * fate.</li>
 * <li>Peak threads: {@link ThreadMXBean#getPeakThreadCount()}, reset at the start of the
 * round (JVM threads included: Reference Handler, Finalizer, compilers, …).</li>
 * <li>Peak heap: the largest heap in use seen (just before each GC and in each sample);
 * peak live: the largest heap in use just after a GC.</li>
 * </ul>
 */
final class ClientMeter {

	static final int SAMPLE_MILLIS = 50;

	private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

	private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private static final @Nullable CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

	private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans()
		.stream()
		.filter((pool) -> pool.getType() == MemoryType.HEAP)
		.toList();

	private final Set<String> heapPoolNames = new HashSet<>();

	private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();

	private final AtomicLong gcNotified = new AtomicLong();

	private final AtomicLong gcFreed = new AtomicLong();

	private final AtomicLong gcMillis = new AtomicLong();

	/** Largest heap in use seen in the round. */
	private final AtomicLong peakUsed = new AtomicLong();

	/** Largest heap in use right after a GC in the round. */
	private final AtomicLong peakLive = new AtomicLong();

	private final Thread sampler;

	/** Last counts read of each thread seen during the round: [cpu ns, bytes]. */
	private final Map<Long, long[]> lastSeen = new HashMap<>();

	private final Map<Long, String> names = new HashMap<>();

	private volatile boolean sampling;

	ClientMeter() {
		THREADS.setThreadAllocatedMemoryEnabled(true);
		THREADS.setThreadCpuTimeEnabled(true);
		this.heapPools.forEach((pool) -> this.heapPoolNames.add(pool.getName()));
		for (GarbageCollectorMXBean collector : this.collectors) {
			((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
				if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
					onGc(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
				}
			}, null, null);
		}
		this.sampler = new Thread(this::sample, "bench-sampler");
		this.sampler.setDaemon(true);
		this.sampler.start();
	}

	private void onGc(GarbageCollectionNotificationInfo info) {
		long before = heapUsed(info.getGcInfo().getMemoryUsageBeforeGc());
		long after = heapUsed(info.getGcInfo().getMemoryUsageAfterGc());
		this.gcFreed.addAndGet(before - after);
		this.gcMillis.addAndGet(info.getGcInfo().getDuration());
		this.peakUsed.accumulateAndGet(before, Math::max);
		this.peakLive.accumulateAndGet(after, Math::max);
		this.gcNotified.incrementAndGet();
	}

	private long heapUsed(Map<String, MemoryUsage> pools) {
		long used = 0;
		for (Map.Entry<String, MemoryUsage> pool : pools.entrySet()) {
			if (this.heapPoolNames.contains(pool.getKey())) {
				used += pool.getValue().getUsed();
			}
		}
		return used;
	}

	private long heapUsed() {
		long used = 0;
		for (MemoryPoolMXBean pool : this.heapPools) {
			used += pool.getUsage().getUsed();
		}
		return used;
	}

	private long gcCount() {
		long count = 0;
		for (GarbageCollectorMXBean collector : this.collectors) {
			count += Math.max(0, collector.getCollectionCount());
		}
		return count;
	}

	private void sample() {
		for (;;) {
			LockSupport.parkNanos(SAMPLE_MILLIS * 1_000_000L);
			if (this.sampling) {
				synchronized (this.lastSeen) {
					if (this.sampling) {
						read(this.lastSeen);
					}
				}
				this.peakUsed.accumulateAndGet(heapUsed(), Math::max);
			}
		}
	}

	/**
	 * Reads the counts of every live thread into {@code into}; the sampler's allocation
	 * is left out (its CPU is counted).
	 */
	private void read(Map<Long, long[]> into) {
		long[] ids = THREADS.getAllThreadIds();
		long[] bytes = THREADS.getThreadAllocatedBytes(ids);
		long[] cpu = THREADS.getThreadCpuTime(ids);
		long self = this.sampler.getId();
		for (int i = 0; i < ids.length; i++) {
			if (bytes[i] >= 0 && cpu[i] >= 0) {
				into.put(ids[i], new long[] { cpu[i], (ids[i] != self) ? bytes[i] : 0 });
			}
		}
	}

	/**
	 * Starts measuring a round: call right before it.
	 * @return the round's starting point
	 */
	Start begin() {
		awaitGcNotifications();
		Map<Long, long[]> threads = new HashMap<>();
		synchronized (this.lastSeen) {
			this.lastSeen.clear();
			read(threads);
			this.lastSeen.putAll(threads);
			this.peakUsed.set(0);
			this.peakLive.set(0);
			this.sampling = true;
		}
		for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
			if (info != null) {
				this.names.put(info.getThreadId(), info.getThreadName());
			}
		}
		THREADS.resetPeakThreadCount();
		long used = heapUsed();
		this.peakUsed.accumulateAndGet(used, Math::max);
		return new Start(threads, OS.getProcessCpuTime(), used, this.gcFreed.get(), gcCount(), this.gcMillis.get(),
				jitMillis(), System.nanoTime());
	}

	/**
	 * Ends a round: call right after it.
	 * @param start what {@link #begin()} returned
	 * @param chunks the content chunks the round streamed
	 * @param connections TCP connections opened during the round
	 * @return the round's figures
	 */
	Measurement end(Start start, long chunks, long connections) {
		long wall = System.nanoTime() - start.wallNanos;
		long processCpu = OS.getProcessCpuTime() - start.processCpu;
		int peakThreads = THREADS.getPeakThreadCount();
		Map<Long, long[]> live = new HashMap<>();
		Map<Long, long[]> seen;
		synchronized (this.lastSeen) {
			this.sampling = false;
			read(live);
			seen = new HashMap<>(this.lastSeen);
		}
		Map<String, Integer> threadGroups = new TreeMap<>();
		for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
			if (info != null) {
				this.names.put(info.getThreadId(), info.getThreadName());
				threadGroups.merge(group(info.getThreadName()), 1, Integer::sum);
			}
		}
		long bytes = 0;
		long javaCpu = 0;
		int died = 0;
		Map<String, Long> cpuByGroup = new TreeMap<>();
		Set<Long> ids = new HashSet<>(seen.keySet());
		ids.addAll(live.keySet());
		for (long id : ids) {
			long[] last = live.get(id);
			if (last == null) {
				last = seen.get(id);
				died++;
			}
			long[] first = start.threads.getOrDefault(id, new long[2]);
			long cpu = last[0] - first[0];
			bytes += last[1] - first[1];
			javaCpu += cpu;
			cpuByGroup.merge(group(this.names.getOrDefault(id, "?")), cpu, Long::sum);
		}
		cpuByGroup.merge("vm", processCpu - javaCpu, Long::sum);
		awaitGcNotifications();
		long heapAllocated = heapUsed() - start.heapUsed + this.gcFreed.get() - start.gcFreed;
		return new Measurement(chunks, wall, processCpu, bytes, heapAllocated, died, peakThreads, this.peakUsed.get(),
				this.peakLive.get(), gcCount() - start.gcCount, this.gcMillis.get() - start.gcMillis,
				jitMillis() - start.jitMillis, connections, cpuByGroup, threadGroups);
	}

	/** CPU time of the calling thread so far (ns). */
	static long currentThreadCpuNanos() {
		return THREADS.getCurrentThreadCpuTime();
	}

	/**
	 * The time the JIT compilers spent compiling so far (ms, summed over the compiler
	 * threads, -1 when the JVM does not tell): most of the {@code vm} CPU while code is
	 * still warming up, as JDK 17 hides the compiler threads from {@code ThreadMXBean}.
	 */
	static long jitMillis() {
		return (JIT != null && JIT.isCompilationTimeMonitoringSupported()) ? JIT.getTotalCompilationTime() : -1;
	}

	/** Waits (up to a second) until every GC so far has been notified. */
	private void awaitGcNotifications() {
		long deadline = System.nanoTime() + 1_000_000_000L;
		while (this.gcNotified.get() < gcCount() && System.nanoTime() < deadline) {
			LockSupport.parkNanos(1_000_000L);
		}
	}

	/** The group a thread is reported in, from its name. */
	static String group(String name) {
		if (name.startsWith("reactor-http-")) {
			return "event-loop";
		}
		if (name.startsWith("parallel-")) {
			return "parallel";
		}
		if (name.startsWith("boundedElastic-")) {
			return "boundedElastic";
		}
		if (name.contains("CompilerThread")) {
			return "jit";
		}
		if (name.equals("main")) {
			return "main";
		}
		if (name.startsWith("bench-")) {
			return "benchmark";
		}
		return "jvm";
	}

	/** The counts at the start of a round. */
	record Start(Map<Long, long[]> threads, long processCpu, long heapUsed, long gcFreed, long gcCount, long gcMillis,
			long jitMillis, long wallNanos) {

	}

	/**
	 * One round's figures.
	 *
	 * @param chunks content chunks streamed
	 * @param wallNanos duration of the round
	 * @param cpuNanos process CPU time
	 * @param bytes bytes allocated by the Java threads (sampler excluded)
	 * @param heapBytes bytes allocated by the heap's accounting
	 * @param threadsDied threads that died during the round
	 * @param peakThreads peak live threads
	 * @param peakHeap largest heap in use seen
	 * @param peakLive largest heap in use after a GC, 0 when no GC ran
	 * @param gcs collections during the round
	 * @param gcMillis their duration
	 * @param jitMillis time the JIT compilers spent compiling (ms, summed over compiler
	 * threads): part of the {@code vm} CPU
	 * @param connections TCP connections opened
	 * @param cpuByGroup CPU nanoseconds by thread group, {@code vm} for what no Java
	 * thread accounts for
	 * @param threadGroups live threads by group at the end
	 */
	record Measurement(long chunks, long wallNanos, long cpuNanos, long bytes, long heapBytes, int threadsDied,
			int peakThreads, long peakHeap, long peakLive, long gcs, long gcMillis, long jitMillis, long connections,
			Map<String, Long> cpuByGroup, Map<String, Integer> threadGroups) {

		double cpuMicrosPerChunk() {
			return this.cpuNanos / 1000.0 / this.chunks;
		}

		double bytesPerChunk() {
			return (double) this.bytes / this.chunks;
		}

		double heapBytesPerChunk() {
			return (double) this.heapBytes / this.chunks;
		}

	}

}
