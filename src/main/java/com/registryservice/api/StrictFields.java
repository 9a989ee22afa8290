package com.registryservice.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A request body whose unknown fields are refused (400 naming the field and the fields it takes) rather than ignored
 * as elsewhere: a PATCH that changed nothing because a field was misspelt or wrapped ({@code {"properties": {…}}}, the
 * shape of a POST) would answer 200 and leave the client believing it had, say, disabled a token.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface StrictFields {
}
