export declare const SCRIPT_SOURCES: string[];
export declare const OTHER_DIRECTIVES: string[];
export declare const sha256Source: (text: string) => string;
export declare const cspConfig: import('astro').AstroUserConfig['security'] extends infer S
  ? S extends { csp?: infer C }
    ? Exclude<C, boolean | undefined>
    : never
  : never;
