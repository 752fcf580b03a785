package io.docshift.core.config;

/**
 * The {@code proxy.*} section: where clients connect.
 *
 * @param host listen address
 * @param port listen port; 0 picks a free port
 */
public record ProxyConfig(String host, int port) {}
