package io.berth.core.scanning;

/**
 * ECR's two scan types. Berth runs one engine for both (its own scanner, over the vulnerability data the operator
 * imports); they differ in which frequencies apply and in the shape of the findings: BASIC answers {@code findings[]},
 * ENHANCED {@code enhancedFindings[]} with package details, and supports continuous rescanning.
 */
public enum ScanType { BASIC, ENHANCED }
