package io.steer.llm.model;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A source the model cited for part of its answer: an Anthropic {@code citations_delta}
 * citation ({@code web_search_result_location}, {@code char_location},
 * {@code page_location}, …) or a Responses API output text annotation
 * ({@code url_citation}, {@code file_citation}, …).
 *
 * @param type the provider's citation type, e.g. {@code url_citation},
 * {@code web_search_result_location}
 * @param url the cited URL, {@code null} for documents and files
 * @param title the title of the cited source, {@code null} when not sent
 * @param citedText the text quoted from the source (Anthropic {@code cited_text}),
 * {@code null} when not sent
 * @param startIndex where the citing span of the answer starts (Responses
 * {@code start_index}, characters), {@code null} when not sent
 * @param endIndex where the citing span ends, exclusive, {@code null} when not sent
 * @param raw the citation object as sent, with every field
 */
public record Citation(String type, @Nullable String url, @Nullable String title, @Nullable String citedText,
		@Nullable Integer startIndex, @Nullable Integer endIndex, JsonNode raw) {

}
