import type { CodegenConfig } from '@graphql-codegen/cli'

// Typed operations: every document lives in src/graphql/*.graphql; the generated
// TypedDocumentNodes and types land in src/gql/ (committed). Re-run after the server
// re-emits schema/schema.graphql.
const config: CodegenConfig = {
  schema: '../schema/schema.graphql',
  documents: ['src/graphql/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        nonOptionalTypename: true,
        scalars: {
          DateTimeISO: 'string',
        },
      },
    },
  },
}

export default config
