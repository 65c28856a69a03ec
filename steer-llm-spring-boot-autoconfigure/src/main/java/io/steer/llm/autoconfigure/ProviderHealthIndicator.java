package io.steer.llm.autoconfigure;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import io.steer.llm.observation.ProviderSignals;
import io.steer.llm.observation.StreamStatistics;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Health of one LLM provider, from a {@code GET} that spends no tokens: its default model
 * ({@code {base-url}/models/{model}} for OpenAI and xAI, whose base URLs end in
 * {@code /v1}; {@code {base-url}/v1/models/{model}} for Anthropic), or its model list
 * when it has no default model.
 * <p>
 * The answer maps to a status:
 * <ul>
 * <li>2xx: {@code UP};</li>
 * <li>404: {@code UP} with {@code reason: unknown-default-model} (the provider answers
 * and takes the key; the model name is a configuration error that requests report);</li>
 * <li>429: {@code UP} with {@code reason: rate-limited} (the key is accepted);</li>
 * <li>401, 403: {@code DOWN} with {@code reason: unauthorized};</li>
 * <li>5xx: {@code DOWN} with {@code reason: server-error}; any other status: {@code DOWN}
 * with {@code reason: unexpected-status};</li>
 * <li>no answer within the timeout: {@code DOWN} with {@code reason: timeout}; a failed
 * connection: {@code DOWN} with {@code reason: connection-failed} and the exception's
 * class name.</li>
 * </ul>
 * A provider without an API key is never asked: it is {@code UNKNOWN} with
 * {@code reason: no-api-key}, which does not pull an aggregate status down.
 * <p>
 * Passive signals, read from {@link StreamStatistics#signals(String)} on every health
 * request (never cached): the provider's recent streams, over the statistics' window.
 * When the probe says {@code UP} but at least {@link RecentFailuresRule#minStreams()}
 * recent streams failed at a {@linkplain ProviderSignals#failureRate() rate} of at least
 * {@link RecentFailuresRule#failureRate()} (HTTP 429, 5xx or provider errors, timeouts,
 * connection failures), the status is {@code DOWN} with {@code reason: recent-failures}
 * (the probe's own reason, if it had one, moves to {@code probeReason}). A provider
 * without a key stays {@code UNKNOWN}.
 * <p>
 * Details: {@code provider}, {@code host} (of the base URL), {@code api},
 * {@code defaultModel} (when set), {@code httpStatus}, {@code latencyMs} and
 * {@code lastChecked} (ISO-8601) from the probe; {@code recentStreams},
 * {@code failureRate} (0 to 1, three decimals), {@code rateLimited},
 * {@code serverErrors}, {@code timeouts}, {@code connectionErrors} and, once a stream
 * failed, {@code lastErrorType} (a {@code StreamErrorType} name) and {@code lastErrorAt}
 * (ISO-8601) from the passive signals. Never the API key, the headers, the response body
 * (a provider may echo the key in an error) or an error message. A probe's result is
 * reused for the cache TTL, and concurrent health requests share one check, so the
 * provider is asked at most once per TTL.
 */
final class ProviderHealthIndicator extends AbstractReactiveHealthIndicator {

	private final String provider;

	private final Map<String, Object> details;

	private final @Nullable URI uri;

	private final Map<String, String> headers;

	private final WebClient webClient;

	private final Duration timeout;

	private final Clock clock;

	private final Mono<Health> cachedCheck;

	private final @Nullable StreamStatistics statistics;

	private final @Nullable RecentFailuresRule recentFailures;

	/**
	 * Create an indicator without passive signals.
	 * @param target what to check, with its headers and key
	 * @param webClient the client that sends the check
	 * @param timeout time to wait for the answer; positive
	 * @param cacheTtl how long a result is reused; zero for never
	 * @param clock the clock of {@code lastChecked} and {@code latencyMs}
	 */
	ProviderHealthIndicator(Target target, WebClient webClient, Duration timeout, Duration cacheTtl, Clock clock) {
		this(target, webClient, timeout, cacheTtl, clock, null, null);
	}

	/**
	 * Create an indicator.
	 * @param target what to check, with its headers and key
	 * @param webClient the client that sends the check
	 * @param timeout time to wait for the answer; positive
	 * @param cacheTtl how long a result is reused; zero for never
	 * @param clock the clock of {@code lastChecked} and {@code latencyMs}
	 * @param statistics the client's recent streams, for the passive signals; or
	 * {@code null} for none
	 * @param recentFailures the rule that turns an {@code UP} probe {@code DOWN}, or
	 * {@code null} for none
	 */
	ProviderHealthIndicator(Target target, WebClient webClient, Duration timeout, Duration cacheTtl, Clock clock,
			@Nullable StreamStatistics statistics, @Nullable RecentFailuresRule recentFailures) {
		super((ex) -> "Health check of provider '" + target.provider() + "' failed");
		this.provider = target.provider();
		this.statistics = statistics;
		this.recentFailures = recentFailures;
		this.details = target.details();
		this.uri = target.hasApiKey() ? target.uri() : null;
		this.headers = target.headers();
		this.webClient = webClient;
		this.timeout = timeout;
		this.clock = clock;
		this.cachedCheck = Mono.defer(this::check)
			.cache((health) -> cacheTtl, (ex) -> Duration.ZERO, () -> Duration.ZERO);
	}

	@Override
	protected Mono<Health> doHealthCheck(Health.Builder builder) {
		if (this.uri == null) {
			builder.unknown().withDetails(this.details).withDetail("reason", "no-api-key");
			ProviderSignals signals = signals();
			if (signals != null) {
				withSignals(builder, signals);
			}
			return Mono.just(builder.build());
		}
		return this.cachedCheck.map(this::combine);
	}

	private @Nullable ProviderSignals signals() {
		return (this.statistics != null) ? this.statistics.signals(this.provider) : null;
	}

	/**
	 * The probe's result with the passive signals of now, and the recent-failures rule
	 * applied.
	 */
	private Health combine(Health probe) {
		ProviderSignals signals = signals();
		if (signals == null) {
			return probe;
		}
		Health.Builder builder = Health.status(probe.getStatus()).withDetails(probe.getDetails());
		withSignals(builder, signals);
		RecentFailuresRule rule = this.recentFailures;
		if (rule != null && Status.UP.equals(probe.getStatus()) && rule.isMetBy(signals)) {
			Object probeReason = probe.getDetails().get("reason");
			if (probeReason != null) {
				builder.withDetail("probeReason", probeReason);
			}
			builder.down().withDetail("reason", "recent-failures");
		}
		return builder.build();
	}

	private static void withSignals(Health.Builder builder, ProviderSignals signals) {
		builder.withDetail("recentStreams", signals.streams())
			.withDetail("failureRate", Math.round(signals.failureRate() * 1000) / 1000.0)
			.withDetail("rateLimited", signals.rateLimited())
			.withDetail("serverErrors", signals.serverErrors())
			.withDetail("timeouts", signals.timeouts())
			.withDetail("connectionErrors", signals.connectionErrors());
		// the type and time only: a message may quote the request
		if (signals.lastErrorType() != null) {
			builder.withDetail("lastErrorType", signals.lastErrorType());
		}
		if (signals.lastErrorAt() != null) {
			builder.withDetail("lastErrorAt", signals.lastErrorAt().toString());
		}
	}

	private Mono<Health> check() {
		URI uri = this.uri;
		if (uri == null) {
			return Mono.empty();
		}
		Instant start = this.clock.instant();
		return this.webClient.get()
			.uri(uri)
			.headers((httpHeaders) -> this.headers.forEach(httpHeaders::set))
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
			.timeout(this.timeout)
			.map((status) -> answered(status, start))
			.onErrorResume((ex) -> Mono.just(failed(ex, start)));
	}

	private Health answered(int httpStatus, Instant start) {
		Health.Builder builder = Health.status(status(httpStatus));
		String reason = reason(httpStatus);
		if (reason != null) {
			builder.withDetail("reason", reason);
		}
		return withDetails(builder.withDetail("httpStatus", httpStatus), start);
	}

	private Health failed(Throwable ex, Instant start) {
		Health.Builder builder = Health.down();
		if (ex instanceof TimeoutException) {
			builder.withDetail("reason", "timeout").withDetail("timeoutMs", this.timeout.toMillis());
		}
		else {
			// the class name only: a message may quote the request
			builder.withDetail("reason", "connection-failed").withDetail("error", ex.getClass().getName());
		}
		return withDetails(builder, start);
	}

	private Health withDetails(Health.Builder builder, Instant start) {
		Instant end = this.clock.instant();
		return builder.withDetails(this.details)
			.withDetail("latencyMs", Duration.between(start, end).toMillis())
			.withDetail("lastChecked", end.toString())
			.build();
	}

	private static Status status(int httpStatus) {
		if ((httpStatus >= 200 && httpStatus < 300) || httpStatus == 404 || httpStatus == 429) {
			return Status.UP;
		}
		return Status.DOWN;
	}

	private static @Nullable String reason(int httpStatus) {
		if (httpStatus >= 200 && httpStatus < 300) {
			return null;
		}
		return switch (httpStatus) {
			case 404 -> "unknown-default-model";
			case 429 -> "rate-limited";
			case 401, 403 -> "unauthorized";
			default -> (httpStatus >= 500) ? "server-error" : "unexpected-status";
		};
	}

	/**
	 * When the passive signals turn a provider whose probe is {@code UP} {@code DOWN}
	 * with reason {@code recent-failures}.
	 *
	 * @param minStreams fewest recent streams for the rule to apply; at least 1
	 * @param failureRate the failure rate at or above which it applies; in (0, 1]
	 */
	record RecentFailuresRule(int minStreams, double failureRate) {

		/**
		 * Whether the signals meet the rule.
		 * @param signals the provider's recent streams
		 * @return {@code true} with at least {@link #minStreams()} recent streams and a
		 * failure rate of at least {@link #failureRate()}
		 */
		boolean isMetBy(ProviderSignals signals) {
			return signals.streams() >= this.minStreams && signals.failureRate() >= this.failureRate;
		}

	}

	/**
	 * What one indicator checks.
	 *
	 * @param provider the provider's name: {@code openai}, {@code xai} or
	 * {@code anthropic}
	 * @param details the fixed details: provider, host, API, default model; never the key
	 * @param uri the URL of the {@code GET}
	 * @param headers the request headers, the key's among them; never shown
	 * @param hasApiKey whether a key is set; without one the provider is not asked
	 */
	record Target(String provider, Map<String, Object> details, URI uri, Map<String, String> headers,
			boolean hasApiKey) {

		/**
		 * The target of an OpenAI-compatible provider (OpenAI, xAI): a bearer token and
		 * {@code {base-url}/models/{model}}.
		 * @param provider the provider's name
		 * @param settings its settings
		 * @return the target
		 */
		static Target openAiCompatible(String provider, SteerProvidersProperties.OpenAiCompatible settings) {
			Map<String, String> headers = new LinkedHashMap<>(settings.getHeaders());
			if (settings.hasApiKey()) {
				headers.put("Authorization", "Bearer " + settings.getApiKey());
			}
			return of(provider, settings, settings.getApi().value(), "", headers, null);
		}

		/**
		 * The target of Anthropic: the {@code x-api-key} and {@code anthropic-version}
		 * headers and {@code {base-url}/v1/models/{model}}.
		 * @param settings its settings
		 * @return the target
		 */
		static Target anthropic(SteerProvidersProperties.Anthropic settings) {
			Map<String, String> headers = new LinkedHashMap<>(settings.getHeaders());
			headers.put("anthropic-version", settings.getVersion());
			if (settings.hasApiKey()) {
				headers.put("x-api-key", settings.getApiKey());
			}
			return of("anthropic", settings, "messages", "v1", headers, "1");
		}

		private static Target of(String provider, SteerProvidersProperties.Provider settings, String api,
				String versionSegment, Map<String, String> headers, @Nullable String listLimit) {
			String baseUrl = settings.getBaseUrl().strip();
			UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(baseUrl);
			if (!versionSegment.isEmpty()) {
				uri.pathSegment(versionSegment);
			}
			uri.pathSegment("models");
			String model = settings.getDefaultModel();
			boolean hasModel = model != null && !model.isBlank();
			if (hasModel) {
				uri.pathSegment(model.strip());
			}
			else if (listLimit != null) {
				uri.queryParam("limit", listLimit);
			}
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("provider", provider);
			String host = URI.create(baseUrl).getHost();
			if (host != null) {
				details.put("host", host);
			}
			details.put("api", api);
			if (hasModel) {
				details.put("defaultModel", model.strip());
			}
			return new Target(provider, Collections.unmodifiableMap(details), uri.build().encode().toUri(),
					Map.copyOf(headers), settings.hasApiKey());
		}

	}

}
