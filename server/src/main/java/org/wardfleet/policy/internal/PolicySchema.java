package org.wardfleet.policy.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.core.io.ClassPathResource;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.serialization.node.LocationJsonNodeFactoryFactory;
import com.networknt.schema.utils.JsonNodes;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The policy schema ({@code policies/schema/policy-v1.schema.json}) and what it says about each setting. The schema is
 * the one source of truth: validation uses it, and each setting's {@code x-wardfleet} annotation (merge rule,
 * platforms, ownership models, controls) drives merging and BYOD exclusions, so a new setting needs no Java change.
 */
final class PolicySchema {

    static final String LOCATION = "policies/schema/policy-v1.schema.json";
    static final int MAX_ERRORS = 50;
    static final String ANNOTATION = "x-wardfleet";

    /** One setting: its dotted path under {@code settings}, and its {@code x-wardfleet} annotation. */
    record Setting(String path, String merge, List<String> order, Set<String> platforms, Set<String> ownership,
            List<String> controls, String description) {

        boolean appliesTo(String platform, String ownershipModel) {
            return platforms.contains(platform) && ownership.contains(ownershipModel);
        }
    }

    /** A validation error as the API reports it: a YAML/JSON path, the line in the submitted text, a message. */
    record Problem(String path, Integer line, String message) {
    }

    static final class Invalid extends Exception {
        private final transient List<Problem> problems;

        Invalid(List<Problem> problems) {
            super(problems.size() + " problem(s), first: " + problems.get(0).message(), null, false, false);
            this.problems = List.copyOf(problems);
        }

        List<Problem> problems() {
            return problems;
        }
    }

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final Schema schema;
    private final List<Setting> settings;

    private PolicySchema(JsonNode schemaNode) {
        // x-wardfleet is an annotation for Wardfleet, not a validation keyword
        Dialect dialect = Dialect.builder(Dialects.getDraft202012())
                .keyword(new AnnotationKeyword(ANNOTATION)).build();
        this.schema = SchemaRegistry.withDialect(dialect).getSchema(schemaNode);
        List<Setting> found = new ArrayList<>();
        collect(schemaNode.path("properties").path("settings"), "", found);
        if (found.isEmpty()) {
            throw new IllegalStateException("The policy schema declares no settings");
        }
        this.settings = List.copyOf(found);
    }

    static PolicySchema load() {
        try (InputStream in = new ClassPathResource(LOCATION).getInputStream()) {
            return new PolicySchema(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + LOCATION, e);
        }
    }

    List<Setting> settings() {
        return settings;
    }

    /** Parses YAML (or JSON, which is YAML too) and validates it; the settings come back flat, by dotted path. */
    PolicyDocument parse(String text) throws Invalid {
        JsonNode root;
        try {
            root = JsonNodes.readTree(YAML, text, LocationJsonNodeFactoryFactory.getInstance());
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            throw new Invalid(List.of(new Problem("", at == null ? null : at.getLineNr(),
                    "Not valid YAML or JSON: " + e.getOriginalMessage())));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new Invalid(List.of(new Problem("", 1, "The document is empty")));
        }
        List<Error> errors = schema.validate(root);
        if (!errors.isEmpty()) {
            throw new Invalid(errors.stream().limit(MAX_ERRORS).map(e -> problem(root, e)).toList());
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting setting : settings) {
            JsonNode node = at(root.path("settings"), setting.path());
            if (!node.isMissingNode() && !node.isNull()) {
                values.put(setting.path(), JSON.treeToValue(node, Object.class));
            }
        }
        JsonNode assignment = root.path("defaultAssignment");
        PolicyDocument.DefaultAssignment defaultAssignment = assignment.isObject()
                ? new PolicyDocument.DefaultAssignment(assignment.path("ownership").asString(),
                        assignment.path("priority").asInt(0))
                : null;
        return new PolicyDocument(root.path("name").asString(), root.path("description").asString(null),
                defaultAssignment, values);
    }

    private static Problem problem(JsonNode root, Error error) {
        NodePath location = error.getInstanceLocation();
        StringBuilder path = new StringBuilder();
        if (location != null) {
            for (int i = 0; i < location.getNameCount(); i++) {
                Object element = location.getElement(i);
                if (element instanceof Integer index) {
                    path.append('[').append(index).append(']');
                } else {
                    path.append(path.length() == 0 ? "" : ".").append(element);
                }
            }
        }
        JsonNode node = location == null ? root : JsonNodes.get(root, location);
        String property = error.getProperty();
        if (node != null && property != null && node.has(property)) {
            // an unknown or misspelt key: point at the key's own line, not at its parent object
            node = node.get(property);
            path.append(path.length() == 0 ? "" : ".").append(property);
        }
        TokenStreamLocation at = node == null ? null : JsonNodes.tokenStreamLocationOf(node);
        return new Problem(path.toString(), at == null ? null : at.getLineNr(), error.getMessage());
    }

    private static JsonNode at(JsonNode node, String dottedPath) {
        JsonNode current = node;
        for (String part : dottedPath.split("\\.")) {
            current = current.path(part);
        }
        return current;
    }

    private static void collect(JsonNode schemaNode, String prefix, List<Setting> into) {
        JsonNode properties = schemaNode.path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            String path = prefix.isEmpty() ? property.getKey() : prefix + "." + property.getKey();
            JsonNode annotation = property.getValue().path(ANNOTATION);
            if (annotation.isObject()) {
                into.add(setting(path, property.getValue(), annotation));
            } else if (property.getValue().has("properties")) {
                collect(property.getValue(), path, into);
            } else {
                throw new IllegalStateException("Policy setting " + path + " has no x-wardfleet annotation");
            }
        }
    }

    private static Setting setting(String path, JsonNode node, JsonNode annotation) {
        List<String> order = strings(annotation.path("order"));
        if (order.isEmpty()) {
            order = strings(node.path("enum"));
        }
        String merge = annotation.path("merge").asString("");
        if (!MergeRule.known(merge)) {
            throw new IllegalStateException("Policy setting " + path + " has unknown merge rule '" + merge + "'");
        }
        return new Setting(path, merge, order, new LinkedHashSet<>(strings(annotation.path("platforms"))),
                new LinkedHashSet<>(strings(annotation.path("ownership"))), strings(annotation.path("controls")),
                node.path("description").asString(null));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
