package io.steer.llm.autoconfigure.agent;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.steer.llm.agent.ToolCallback;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * The application's tools by name: every {@link ToolCallback} bean, and a
 * {@link MethodToolCallback tool} per {@link SteerTool @SteerTool} method of a bean.
 * <p>
 * The tools are found once, on the first call of {@link #tools()} or {@link #tool} (an
 * agent definition bean being created) or at the latest when every singleton was created:
 * the beans with {@code @SteerTool} methods are then created if they were not. Tool names
 * are unique: two tools with one name fail start-up naming both. Generating the schemas
 * of {@code @SteerTool} methods needs victools {@code jsonschema-generator} on the class
 * path; without it, a bean with such a method fails start-up saying so.
 */
public final class SteerToolRegistry implements SmartInitializingSingleton {

	private static final String SCHEMA_GENERATOR = "com.github.victools.jsonschema.generator.SchemaGenerator";

	private final ConfigurableListableBeanFactory beanFactory;

	private final JsonMapper mapper;

	private @Nullable Map<String, ToolCallback> tools;

	/**
	 * A registry of the tools of a bean factory.
	 * @param beanFactory the bean factory whose beans are searched
	 * @param mapper the mapper of tool arguments, results and schemas
	 */
	public SteerToolRegistry(ConfigurableListableBeanFactory beanFactory, JsonMapper mapper) {
		this.beanFactory = Objects.requireNonNull(beanFactory, "beanFactory must not be null");
		this.mapper = Objects.requireNonNull(mapper, "mapper must not be null");
	}

	/**
	 * Every tool, in bean definition order ({@code ToolCallback} beans first).
	 * @return the tools, unmodifiable
	 * @throws IllegalStateException if two tools have one name, a {@code @SteerTool}
	 * method is not public, or the schema generator is missing
	 */
	public List<ToolCallback> tools() {
		return List.copyOf(discover().values());
	}

	/**
	 * The tool of a name.
	 * @param name the tool's name
	 * @return the tool, or {@code null} when there is none of that name
	 * @throws IllegalStateException as {@link #tools()}
	 */
	public @Nullable ToolCallback tool(String name) {
		return discover().get(name);
	}

	/**
	 * The names of the tools, in the order of {@link #tools()}.
	 * @return the names, unmodifiable
	 */
	public List<String> names() {
		return List.copyOf(discover().keySet());
	}

	@Override
	public void afterSingletonsInstantiated() {
		discover();
	}

	private synchronized Map<String, ToolCallback> discover() {
		Map<String, ToolCallback> found = this.tools;
		if (found != null) {
			return found;
		}
		found = new LinkedHashMap<>();
		Map<String, String> sources = new LinkedHashMap<>();
		for (String beanName : this.beanFactory.getBeanNamesForType(ToolCallback.class)) {
			add(found, sources, this.beanFactory.getBean(beanName, ToolCallback.class), "bean '" + beanName + "'");
		}
		ToolMethodSchemas schemas = null;
		for (String beanName : this.beanFactory.getBeanDefinitionNames()) {
			BeanDefinition definition = this.beanFactory.getBeanDefinition(beanName);
			if (definition.isAbstract() || definition.getRole() == BeanDefinition.ROLE_INFRASTRUCTURE) {
				continue;
			}
			Class<?> type = this.beanFactory.getType(beanName, false);
			if (type == null) {
				continue;
			}
			Map<Method, SteerTool> methods = MethodIntrospector.selectMethods(ClassUtils.getUserClass(type),
					(MethodIntrospector.MetadataLookup<SteerTool>) (method) -> AnnotatedElementUtils
						.findMergedAnnotation(method, SteerTool.class));
			if (methods.isEmpty()) {
				continue;
			}
			if (!ClassUtils.isPresent(SCHEMA_GENERATOR, this.beanFactory.getBeanClassLoader())) {
				throw new IllegalStateException("Bean '" + beanName
						+ "' has @SteerTool methods: their input schemas need com.github.victools:jsonschema-generator"
						+ " on the class path");
			}
			if (schemas == null) {
				schemas = new ToolMethodSchemas(this.mapper);
			}
			Object bean = this.beanFactory.getBean(beanName);
			List<Method> sorted = new ArrayList<>(methods.keySet());
			sorted.sort((a, b) -> a.getName().compareTo(b.getName()));
			for (Method method : sorted) {
				SteerTool annotation = methods.get(method);
				if (!Modifier.isPublic(method.getModifiers())) {
					throw new IllegalStateException(
							"@SteerTool method " + method + " of bean '" + beanName + "' must be public");
				}
				String name = annotation.name().isEmpty() ? method.getName() : annotation.name();
				Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
				add(found, sources, new MethodToolCallback(name, annotation.description(), schemas.inputSchema(method),
						bean, invocable, this.mapper), "method " + method.getName() + " of bean '" + beanName + "'");
			}
		}
		this.tools = Collections.unmodifiableMap(found);
		return this.tools;
	}

	private static void add(Map<String, ToolCallback> tools, Map<String, String> sources, ToolCallback tool,
			String source) {
		String previous = sources.putIfAbsent(tool.name(), source);
		if (previous != null) {
			throw new IllegalStateException(
					"Tools of " + previous + " and " + source + " are both named '" + tool.name() + "'; rename one");
		}
		tools.put(tool.name(), tool);
	}

}
