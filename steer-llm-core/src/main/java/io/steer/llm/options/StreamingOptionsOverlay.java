package io.steer.llm.options;

import java.util.Objects;

/**
 * Changes to the options of a stream, laid over the options chosen so far: a rule of
 * {@link StreamingOptionsRules} for a provider or a model, e.g.
 * {@code (builder) -> builder.readTimeout(Duration.ofSeconds(60))}. It sets only the
 * options it changes; every other option keeps the value it had.
 * <p>
 * {@link #applyTo} must be a pure function of the builder it is given: it may be called
 * for every stream, and once more to answer {@link #setsJsonStreamHandler()}.
 */
@FunctionalInterface
public interface StreamingOptionsOverlay {

	/**
	 * Sets this overlay's options on a builder.
	 * @param builder the builder of the options chosen so far
	 */
	void applyTo(StreamingOptions.Builder builder);

	/**
	 * Whether this overlay decides {@link StreamingOptions#enableJsonStreamHandler()}, on
	 * or off: then the JSON rule of {@link StreamingOptionsRules} (a JSON response format
	 * turns the handler on) leaves it alone. By default it is found out by applying this
	 * overlay once to options with the handler on and once to options with it off: it
	 * decides when both come out the same. An overlay that sets the handler only
	 * sometimes should say so here.
	 * @return whether this overlay sets the JSON stream handler
	 */
	default boolean setsJsonStreamHandler() {
		try {
			StreamingOptions.Builder on = StreamingOptions.builder().enableJsonStreamHandler(true);
			StreamingOptions.Builder off = StreamingOptions.builder().enableJsonStreamHandler(false);
			applyTo(on);
			applyTo(off);
			return on.build().enableJsonStreamHandler() == off.build().enableJsonStreamHandler();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/**
	 * This overlay, then {@code next}: where both set an option, {@code next} wins. The
	 * result sets the JSON stream handler when either does.
	 * @param next the overlay applied after this one
	 * @return the composed overlay
	 */
	default StreamingOptionsOverlay andThen(StreamingOptionsOverlay next) {
		Objects.requireNonNull(next, "next must not be null");
		StreamingOptionsOverlay first = this;
		return new StreamingOptionsOverlay() {

			@Override
			public void applyTo(StreamingOptions.Builder builder) {
				first.applyTo(builder);
				next.applyTo(builder);
			}

			@Override
			public boolean setsJsonStreamHandler() {
				return first.setsJsonStreamHandler() || next.setsJsonStreamHandler();
			}

		};
	}

}
