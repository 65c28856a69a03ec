package io.steer.llm.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests that the fixtures bundled in this module are verbatim copies of the shared
 * recordings and that the bundled index lists them.
 */
class BundledFixturesTests {

	private static final Path MODULE = Path.of(System.getProperty("basedir", "")).toAbsolutePath();

	private static final Path BUNDLED = MODULE.resolve("src/main/resources/io/steer/llm/test/fixtures/sse");

	private static final Path SHARED = MODULE.getParent().resolve("../shared/fixtures/sse").normalize();

	private static final String INDEX = "index.txt";

	@Test
	void indexListsEveryBundledFixture() throws IOException {
		List<String> index = Files.readAllLines(BUNDLED.resolve(INDEX), StandardCharsets.UTF_8);
		Set<String> fixtures = files(BUNDLED).stream()
			.filter((file) -> file.endsWith(".sse"))
			.map((file) -> file.substring(0, file.length() - ".sse".length()))
			.collect(Collectors.toCollection(TreeSet::new));
		assertThat(index).isNotEmpty().doesNotHaveDuplicates().containsExactlyElementsOf(fixtures);
		assertThat(SseFixture.all()).extracting((fixture) -> fixture.provider() + "/" + fixture.name())
			.containsExactlyElementsOf(index);
	}

	@Test
	void bundledFixturesAreByteIdenticalToSharedFixtures() throws IOException {
		assumeTrue(Files.isDirectory(SHARED), () -> "needs ../shared/fixtures/sse beside the checkout (the team's"
				+ " shared folder, looked for at " + SHARED + "); skipped without it");
		Set<String> shared = files(SHARED);
		Set<String> bundled = files(BUNDLED);
		bundled.remove(INDEX);
		assertThat(shared).isNotEmpty();
		assertThat(bundled).as("bundled files").containsExactlyElementsOf(shared);
		for (String file : shared) {
			assertThat(Files.mismatch(BUNDLED.resolve(file), SHARED.resolve(file))).as(file).isEqualTo(-1L);
		}
	}

	private static Set<String> files(Path root) throws IOException {
		try (Stream<Path> paths = Files.walk(root)) {
			return paths.filter(Files::isRegularFile)
				.map((path) -> root.relativize(path).toString().replace('\\', '/'))
				.collect(Collectors.toCollection(TreeSet::new));
		}
	}

}
