package org.wardfleet.policy;

/** What the schema says is wrong in a document: where (a path and the line in the submitted text) and why. */
public record PolicyError(String path, Integer line, String message) {
}
