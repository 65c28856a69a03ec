package io.steer.llm.autoconfigure;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Maps the environment variables of the original Steer SDK to {@code steer.streaming.*}
 * properties:
 * <table>
 * <caption>Mapped variables</caption>
 * <tr>
 * <th>variable</th>
 * <th>property</th>
 * <th>value</th>
 * </tr>
 * <tr>
 * <td>{@code STREAMING_CONNECTION_TIMEOUT}</td>
 * <td>{@code connection-timeout}</td>
 * <td>seconds, decimals allowed ({@code 2.5} is 2500 ms)</td>
 * </tr>
 * <tr>
 * <td>{@code STREAMING_READ_TIMEOUT}</td>
 * <td>{@code read-timeout}</td>
 * <td>seconds, decimals allowed</td>
 * </tr>
 * <tr>
 * <td>{@code STREAMING_MAX_RECONNECTS}</td>
 * <td>{@code max-reconnect-attempts}</td>
 * <td>as is</td>
 * </tr>
 * <tr>
 * <td>{@code STREAMING_ENABLE_AGGREGATION}</td>
 * <td>{@code enable-usage-aggregation}</td>
 * <td>as is</td>
 * </tr>
 * <tr>
 * <td>{@code STREAMING_PREFER_TIKTOKEN}</td>
 * <td>{@code prefer-tiktoken}</td>
 * <td>as is</td>
 * </tr>
 * <tr>
 * <td>{@code STREAMING_ENABLE_JSON_HANDLER}</td>
 * <td>{@code enable-json-stream-handler}</td>
 * <td>as is</td>
 * </tr>
 * </table>
 * <p>
 * The mapped values form a property source named {@value #PROPERTY_SOURCE_NAME}, placed
 * just after the system environment: command-line arguments, system properties and the
 * standard {@code STEER_STREAMING_*} variables win over it, and it wins over
 * {@code application.yml}. A timeout that is not a decimal number is passed on unchanged
 * (so {@code 5s} works too), and an invalid one fails binding with the variable as its
 * origin. {@code STEER_STREAMING_STATE_TTL} needs no mapping: relaxed binding reads it,
 * in seconds.
 */
public final class SdkEnvironmentVariablesPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source holding the mapped variables. */
	public static final String PROPERTY_SOURCE_NAME = "steerSdkEnvironmentVariables";

	/** Runs after config data is loaded, so the system environment source is final. */
	public static final int ORDER = ConfigDataEnvironmentPostProcessor.ORDER + 1;

	private static final Map<String, Mapping> MAPPINGS = mappings();

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		postProcessEnvironment(environment);
	}

	/**
	 * Adds the property source of the mapped variables, if any is set.
	 * @param environment the environment whose
	 * {@value StandardEnvironment#SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME} property
	 * source is read
	 */
	public void postProcessEnvironment(ConfigurableEnvironment environment) {
		String systemEnvironmentName = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
		PropertySource<?> systemEnvironment = environment.getPropertySources().get(systemEnvironmentName);
		if (systemEnvironment == null || environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
			return;
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		Map<String, String> variables = new LinkedHashMap<>();
		MAPPINGS.forEach((variable, mapping) -> {
			String value = variable(systemEnvironment, variable);
			if (value != null && !value.isBlank()) {
				properties.put(mapping.property(), mapping.converter().apply(value.strip()));
				variables.put(mapping.property(), variable);
			}
		});
		if (!properties.isEmpty()) {
			environment.getPropertySources()
				.addAfter(systemEnvironmentName, new SdkEnvironmentVariablesPropertySource(properties, variables));
		}
	}

	private static @Nullable String variable(PropertySource<?> systemEnvironment, String name) {
		Object value = (systemEnvironment.getSource() instanceof Map<?, ?> map) ? map.get(name)
				: systemEnvironment.getProperty(name);
		return (value != null) ? value.toString() : null;
	}

	/**
	 * Converts decimal seconds to milliseconds.
	 * @param value the value, e.g. {@code 2.5}
	 * @return the duration in a form Spring binds, e.g. {@code 2500ms}; the value
	 * unchanged when it is not a decimal number
	 */
	static String seconds(String value) {
		try {
			BigDecimal millis = new BigDecimal(value).movePointRight(3).setScale(0, RoundingMode.HALF_UP);
			return millis.toPlainString() + "ms";
		}
		catch (NumberFormatException | ArithmeticException ex) {
			return value;
		}
	}

	private static Map<String, Mapping> mappings() {
		Map<String, Mapping> mappings = new LinkedHashMap<>();
		mappings.put("STREAMING_CONNECTION_TIMEOUT",
				new Mapping("steer.streaming.connection-timeout", SdkEnvironmentVariablesPostProcessor::seconds));
		mappings.put("STREAMING_READ_TIMEOUT",
				new Mapping("steer.streaming.read-timeout", SdkEnvironmentVariablesPostProcessor::seconds));
		mappings.put("STREAMING_MAX_RECONNECTS",
				new Mapping("steer.streaming.max-reconnect-attempts", UnaryOperator.identity()));
		mappings.put("STREAMING_ENABLE_AGGREGATION",
				new Mapping("steer.streaming.enable-usage-aggregation", UnaryOperator.identity()));
		mappings.put("STREAMING_PREFER_TIKTOKEN",
				new Mapping("steer.streaming.prefer-tiktoken", UnaryOperator.identity()));
		mappings.put("STREAMING_ENABLE_JSON_HANDLER",
				new Mapping("steer.streaming.enable-json-stream-handler", UnaryOperator.identity()));
		return Collections.unmodifiableMap(mappings);
	}

	private record Mapping(String property, UnaryOperator<String> converter) {

	}

	/**
	 * The mapped values; each reports its environment variable as its origin.
	 */
	private static final class SdkEnvironmentVariablesPropertySource extends MapPropertySource
			implements OriginLookup<String> {

		private final Map<String, String> variables;

		SdkEnvironmentVariablesPropertySource(Map<String, Object> properties, Map<String, String> variables) {
			super(PROPERTY_SOURCE_NAME, Collections.unmodifiableMap(properties));
			this.variables = Map.copyOf(variables);
		}

		@Override
		public @Nullable Origin getOrigin(String key) {
			String variable = this.variables.get(key);
			return (variable != null) ? new SystemEnvironmentOrigin(variable) : null;
		}

	}

}
