package io.steer.llm.autoconfigure.agent;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method of a bean as a tool agents may call, found by
 * {@link SteerToolRegistry}.
 * <p>
 * The tool's input is a JSON object with one property per parameter, named as the
 * parameter (the build must compile with {@code -parameters}); its schema is generated
 * from the parameter types by victools {@code jsonschema-generator}. Every parameter is
 * required except one annotated with a {@code @Nullable} annotation; a parameter of type
 * {@link io.steer.llm.agent.ToolContext} is given the call's context and is not part of
 * the input. Arguments are converted to the parameter types with the application's
 * {@code JsonMapper}. The result is what the model sees: a {@code String} as is,
 * {@code null} as an empty text, anything else as JSON. A method returning a
 * {@link reactor.core.publisher.Mono} is a reactive tool (it must not block); any other
 * method is run on the agent runner's tool scheduler. An exception the method throws
 * becomes a tool error the model sees.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SteerTool {

	/**
	 * The name the model calls the tool by, unique among the application's tools.
	 * @return the name, or empty for the method's name
	 */
	String name() default "";

	/**
	 * What the tool does and when to use it, for the model.
	 * @return the description, possibly empty
	 */
	String description() default "";

}
