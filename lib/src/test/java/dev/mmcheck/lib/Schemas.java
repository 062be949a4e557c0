package dev.mmcheck.lib;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;
import java.util.Set;

/**
 * The JSON Schemas in schemas/, for tests that validate what mmcheck writes. Each schema's $id is under
 * https://schemas.mmcheck.dev/, mapped here to the repository's schemas/ directory, so nothing is fetched.
 */
public final class Schemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Schemas() {
    }

    /** The validation errors of {@code json} against schemas/{@code name}.schema.json; empty if it is valid. */
    public static List<String> errors(String name, String json) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, b -> b.schemaMappers(
                m -> m.mapPrefix("https://schemas.mmcheck.dev/", Repo.root().resolve("schemas").toUri().toString())));
        JsonSchema schema = factory.getSchema(java.net.URI.create("https://schemas.mmcheck.dev/" + name + ".schema.json"));
        try {
            Set<ValidationMessage> errors = schema.validate(JSON.readTree(json));
            return errors.stream().map(ValidationMessage::getMessage).sorted().toList();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return List.of("not JSON: " + e.getMessage());
        }
    }
}
