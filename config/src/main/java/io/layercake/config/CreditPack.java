package io.layercake.config;

/** A one-time purchase of credits. */
public record CreditPack(String id, long credits, long priceCents) {}
