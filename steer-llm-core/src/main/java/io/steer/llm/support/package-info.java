/**
 * Small pieces shared by the library's packages; internal, not an API.
 */
@NullMarked
package io.steer.llm.support;

import org.jspecify.annotations.NullMarked;
