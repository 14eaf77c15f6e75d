// The h2 tutorial's server, in C#: run it, then `curl --http2-prior-knowledge http://localhost:8080/`.
// docs/getting-started.md builds it up in six steps; each step is a file in Steps/.
BasicServer.Steps.Step6.Run();
