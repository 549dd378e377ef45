// `cem analyze` reads the elements' JSDoc headers (their public contract) into custom-elements.json.
export default {
  globs: ['widgets/**/*.ts'],
  exclude: ['widgets/**/*.styles.ts', 'widgets/core/messages/**'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
  plugins: [
    {
      // The analyzer lists every entry of `static properties` as an attribute, also the private
      // `{ state: true }` ones, which are internal reactive state with no attribute.
      name: 'customer-kit:no-state-attributes',
      moduleLinkPhase({ moduleDoc }) {
        for (const declaration of moduleDoc.declarations ?? []) {
          const internal = new Set(declaration.members?.filter((m) => m.privacy === 'private').map((m) => m.name));
          if (declaration.attributes) declaration.attributes = declaration.attributes.filter((a) => !internal.has(a.fieldName));
          for (const member of declaration.members ?? []) if (internal.has(member.name)) delete member.attribute;
        }
      },
    },
  ],
};
