/** Set by `npm run deploy` (`wrangler deploy --var COMMIT:…`), not in wrangler.toml. */
interface DeployVars {
  /** The git commit the deployed bundle was built from. */
  COMMIT?: string;
}

interface Env extends DeployVars {}

declare namespace Cloudflare {
  interface Env extends DeployVars {}
}
