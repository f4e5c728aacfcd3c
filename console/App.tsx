// The console app's root.
export function App() {
  return <main><h1>Hatch console</h1></main>;
}
