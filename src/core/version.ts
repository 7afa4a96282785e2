// The version of authdoctor, as package.json says (printed by --version, written into SARIF logs).
export const VERSION = "0.1.0";
