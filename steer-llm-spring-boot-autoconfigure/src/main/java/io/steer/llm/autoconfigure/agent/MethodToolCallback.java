package io.steer.llm.autoconfigure.agent;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;

import io.steer.llm.agent.ToolCallback;
import io.steer.llm.agent.ToolContext;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.ReflectionUtils;

/**
 * A {@link SteerTool} method of a bean as a tool: the arguments converted to the
 * parameter types with the mapper, the result turned to text (a {@code String} as is,
 * {@code null} as empty, else JSON). A method returning a {@link Mono} is reactive, any
 * other is {@link #blocking() blocking}, as {@link ToolCallback#ofMono} and
 * {@link ToolCallback#of} make them; unlike {@code of}, a blocking method may take the
 * {@link ToolContext} too.
 */
final class MethodToolCallback implements ToolCallback {

	private final String name;

	private final String description;

	private final JsonNode inputSchema;

	private final Object bean;

	private final Method method;

	private final JsonMapper mapper;

	private final boolean reactive;

	MethodToolCallback(String name, String description, JsonNode inputSchema, Object bean, Method method,
			JsonMapper mapper) {
		this.name = name;
		this.description = description;
		this.inputSchema = inputSchema;
		this.bean = bean;
		this.method = method;
		this.mapper = mapper;
		this.reactive = Mono.class.isAssignableFrom(method.getReturnType());
		ReflectionUtils.makeAccessible(method);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String description() {
		return this.description;
	}

	@Override
	public JsonNode inputSchema() {
		return this.inputSchema;
	}

	@Override
	public boolean blocking() {
		return !this.reactive;
	}

	@Override
	public Mono<String> call(JsonNode arguments, ToolContext context) {
		if (this.reactive) {
			return Mono.defer(() -> {
				Mono<?> result = (Mono<?>) invoke(arguments, context);
				return (result != null) ? result.map(this::text) : Mono.empty();
			});
		}
		return Mono.fromCallable(() -> text(invoke(arguments, context)));
	}

	private @Nullable Object invoke(JsonNode arguments, ToolContext context) {
		Parameter[] parameters = this.method.getParameters();
		Object[] values = new Object[parameters.length];
		for (int i = 0; i < parameters.length; i++) {
			Parameter parameter = parameters[i];
			if (parameter.getType() == ToolContext.class) {
				values[i] = context;
				continue;
			}
			JsonNode argument = arguments.get(parameter.getName());
			if (argument == null || argument.isNull()) {
				if (parameter.getType().isPrimitive()) {
					throw new IllegalArgumentException("Missing argument '" + parameter.getName() + "'");
				}
				values[i] = null;
			}
			else {
				values[i] = this.mapper.convertValue(argument,
						this.mapper.constructType(parameter.getParameterizedType()));
			}
		}
		try {
			return this.method.invoke(this.bean, values);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getTargetException();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(cause.getMessage(), cause);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
	}

	private String text(@Nullable Object result) {
		if (result == null) {
			return "";
		}
		if (result instanceof CharSequence text) {
			return text.toString();
		}
		return this.mapper.writeValueAsString(result);
	}

	@Override
	public String toString() {
		return "MethodToolCallback[" + this.name + " -> " + this.method + "]";
	}

}
