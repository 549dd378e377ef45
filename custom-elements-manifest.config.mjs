// `cem analyze` reads the elements' JSDoc headers (their public contract) into custom-elements.json.
export default {
  globs: ['widgets/**/*.ts'],
  exclude: ['widgets/**/*.styles.ts', 'widgets/core/messages/**'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
};
