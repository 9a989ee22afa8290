package com.registryservice.api;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Strict JSON: a value of the wrong type is a 400, not silently converted ({@code "name": 5} is not "5",
 * {@code "enabled": "false"} is not false); duplicate keys and trailing garbage are refused. Unknown properties
 * are still ignored, so newer clients keep working. Absent values are left out of responses. Times are written to
 * the millisecond.
 */
@Singleton
public class JsonConfiguration implements ObjectMapperCustomizer {

    /** After Quarkus' own customizers: they register the JSR-310 module, whose time readers would win over ours. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        mapper.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
        mapper.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        mapper.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        mapper.configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true);
        mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
        // unknown fields are ignored (a client of a newer API version still works), except where it would mislead
        mapper.addHandler(new com.fasterxml.jackson.databind.deser.DeserializationProblemHandler() {
            @Override
            public boolean handleUnknownProperty(com.fasterxml.jackson.databind.DeserializationContext context,
                    JsonParser parser, com.fasterxml.jackson.databind.JsonDeserializer<?> deserializer,
                    Object beanOrClass, String name) throws java.io.IOException {
                Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
                if (type.isAnnotationPresent(StrictFields.class)) {
                    throw com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException.from(parser, beanOrClass,
                            name, deserializer.getKnownPropertyNames());
                }
                return false;
            }
        });
        // a time is an RFC 3339 string: a number is not taken for seconds since 1970; written to the millisecond
        mapper.registerModule(new com.fasterxml.jackson.databind.module.SimpleModule("rfc3339-instants")
                .addDeserializer(java.time.Instant.class, new Rfc3339Instants())
                .addSerializer(java.time.Instant.class, new MillisecondInstants()));
        for (CoercionInputShape shape : new CoercionInputShape[] { CoercionInputShape.Integer,
                CoercionInputShape.Float, CoercionInputShape.Boolean }) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
            mapper.coercionConfigFor(LogicalType.Enum).setCoercion(shape, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Collection).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.POJO).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
}
