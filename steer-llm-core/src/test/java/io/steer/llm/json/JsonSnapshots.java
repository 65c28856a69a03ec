package io.steer.llm.json;

import java.util.Map;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Assertions on snapshots.
 */
final class JsonSnapshots {

	private JsonSnapshots() {
	}

	/**
	 * Asserts that {@code later} holds every path of {@code earlier} with the same value,
	 * except strings that grew (the earlier is a prefix of the later).
	 * @param earlier an earlier snapshot value
	 * @param later a later one
	 */
	static void assertGrows(JsonNode earlier, JsonNode later) {
		grows(earlier, later, "");
	}

	private static void grows(JsonNode earlier, JsonNode later, String path) {
		if (earlier.isString()) {
			assertThat(later.isString()).as(path).isTrue();
			assertThat(later.asString()).as(path).startsWith(earlier.asString());
		}
		else if (earlier.isObject()) {
			assertThat(later.isObject()).as(path).isTrue();
			for (Map.Entry<String, JsonNode> entry : earlier.properties()) {
				JsonNode next = later.get(entry.getKey());
				assertThat(next).as(path + "/" + entry.getKey()).isNotNull();
				grows(entry.getValue(), next, path + "/" + entry.getKey());
			}
		}
		else if (earlier.isArray()) {
			assertThat(later.isArray()).as(path).isTrue();
			assertThat(later.size()).as(path).isGreaterThanOrEqualTo(earlier.size());
			for (int i = 0; i < earlier.size(); i++) {
				grows(earlier.get(i), later.get(i), path + "/" + i);
			}
		}
		else {
			assertThat(later).as(path).isEqualTo(earlier);
		}
	}

}
