package io.layercake.config;

/**
 * The demo a newcomer meets: on first start with an empty database, a demo organization with
 * credits, a demo agent with a small knowledge base and webchat, and an API key for the dashboard.
 *
 * @param enabled whether a node seeds the demo when it finds no organization at all
 * @param credits the credits the demo organization starts with
 */
public record DemoSettings(boolean enabled, long credits) {}
