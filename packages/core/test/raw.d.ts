// Vite's `?raw` imports: the text of a file, for tests that check the docs against the code.
declare module "*.md?raw" {
  const text: string
  export default text
}
