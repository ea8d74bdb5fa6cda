// Swagger UI's files, imported as text (esbuild: `with { type: 'text' }`) so the reference page ships in its function's bundle.
declare module 'swagger-ui-dist/swagger-ui-bundle.js' {
  const text: string;
  export default text;
}
declare module 'swagger-ui-dist/swagger-ui.css' {
  const text: string;
  export default text;
}
