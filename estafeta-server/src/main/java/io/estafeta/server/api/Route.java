package io.estafeta.server.api;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/**
 * One route of the API: the list of them is the API, and the OpenAPI file is checked against it.
 */
public record Route(HandlerType method, String path, Handler handler) {}
