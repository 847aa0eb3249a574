package io.berth.core.scanning;

/** How often a repository's images are scanned: on push, continuously (ENHANCED), or only when asked (BASIC). */
public enum ScanFrequency { SCAN_ON_PUSH, CONTINUOUS_SCAN, MANUAL }
