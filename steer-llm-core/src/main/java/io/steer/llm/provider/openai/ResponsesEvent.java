package io.steer.llm.provider.openai;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One streaming event of the OpenAI Responses API, as the union of the fields the adapter
 * reads from any event type; every other field is skipped. The same record reads an HTTP
 * error body ({@code {"error": {…}}}).
 * <p>
 * Fields whose JSON type differs between event types, or that the API keeps extending
 * (the output item, {@code delta}, {@code arguments}, {@code code}, annotations, content
 * parts), are bound as {@link JsonNode} so that they never fail to bind; the parser reads
 * from them only what it uses, leniently. The other fields (strings, integers, the
 * response object) bind straight; when one of them has another JSON type the parser
 * conforms the event's tree to this shape and binds again (see {@link LenientJson}).
 *
 * @param type event type, e.g. {@code response.output_text.delta}
 * @param sequenceNumber position of the event in the stream, from 0; {@code null} when
 * absent
 * @param response the response object of {@code response.created},
 * {@code response.in_progress}, {@code response.completed}, {@code response.incomplete}
 * and {@code response.failed}
 * @param item the output item of {@code response.output_item.added} / {@code .done}, as
 * sent, of any type ({@code message}, {@code function_call}, {@code web_search_call}, …)
 * @param outputIndex index of the output item the event belongs to
 * @param itemId id of the output item the event belongs to
 * @param contentIndex index of the content part the event belongs to
 * ({@code response.output_text.annotation.added}, {@code response.content_part.done}, …)
 * @param annotationIndex index of the annotation within its content part
 * ({@code response.output_text.annotation.added})
 * @param delta the fragment of a {@code *.delta} event: a string for every delta the
 * adapter reads
 * @param arguments the complete arguments of
 * {@code response.function_call_arguments.done} or
 * {@code response.mcp_call_arguments.done}: a JSON text, or an object
 * @param input the complete input of {@code response.custom_tool_call_input.done}
 * @param annotation the annotation of {@code response.output_text.annotation.added}
 * ({@code url_citation}, {@code file_citation}, …)
 * @param annotations the annotations of {@code response.output_text.done}
 * @param part the content part of {@code response.content_part.added} / {@code .done}
 * @param error the error object of an {@code error} event as recorded from OpenAI
 * ({@code {"type","code","message","param"}}), or of an HTTP error body
 * @param code the error code of an {@code error} event in the flat documented form, or
 * the complete code of {@code response.code_interpreter_call_code.done}
 * @param message the error message of an {@code error} event in the flat documented form
 * @see <a href=
 * "https://platform.openai.com/docs/api-reference/responses-streaming">OpenAI, Responses
 * streaming events</a>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ResponsesEvent(@Nullable String type, @JsonProperty("sequence_number") @Nullable Long sequenceNumber,
		@Nullable Response response, @Nullable JsonNode item,
		@JsonProperty("output_index") @Nullable Integer outputIndex, @JsonProperty("item_id") @Nullable String itemId,
		@JsonProperty("content_index") @Nullable Integer contentIndex,
		@JsonProperty("annotation_index") @Nullable Integer annotationIndex, @Nullable JsonNode delta,
		@Nullable JsonNode arguments, @Nullable JsonNode input, @Nullable JsonNode annotation,
		@Nullable JsonNode annotations, @Nullable JsonNode part, @Nullable ErrorBody error, @Nullable JsonNode code,
		@Nullable String message) {

	/**
	 * The response object, with only the fields the adapter reads.
	 *
	 * @param id response id ({@code resp_…}; xAI sends a UUID)
	 * @param model model that answers, e.g. a dated snapshot
	 * @param status {@code in_progress}, {@code completed}, {@code incomplete},
	 * {@code failed}, …
	 * @param usage token usage as sent, {@code null} until the response ends
	 * @param error why a {@code failed} response failed ({@code {"code","message"}})
	 * @param incompleteDetails why an {@code incomplete} response stopped
	 * @param serviceTier service tier that served the request
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record Response(@Nullable String id, @Nullable String model, @Nullable String status,
			@Nullable Map<String, Object> usage, @Nullable ErrorBody error,
			@JsonProperty("incomplete_details") @Nullable IncompleteDetails incompleteDetails,
			@JsonProperty("service_tier") @Nullable String serviceTier) {

	}

	/**
	 * An error object: {@code response.error}, the {@code error} of an {@code error}
	 * event, or of an HTTP error body.
	 *
	 * @param type error type, e.g. {@code insufficient_quota}, {@code server_error};
	 * {@code null} in {@code response.error}
	 * @param code error code, a string or a number
	 * @param message human-readable message
	 * @param param the request parameter at fault
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record ErrorBody(@Nullable String type, @Nullable Object code, @Nullable String message, @Nullable Object param) {

	}

	/**
	 * Why a response is incomplete.
	 *
	 * @param reason {@code max_output_tokens} or {@code content_filter}
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	record IncompleteDetails(@Nullable String reason) {

	}

}
