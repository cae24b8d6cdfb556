/**
 * The Backtrack custom resources ({@code backtrack.io/v1alpha1}): types only, no logic.
 *
 * <p>Field descriptions given with {@code @JsonPropertyDescription} become the CRD's field
 * descriptions, which is what {@code kubectl explain} shows, so they are written for users.
 */
package io.backtrack.api;
