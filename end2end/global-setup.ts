// Waits until the server answers (it is started beside the test run), for at most 60 s.
const baseURL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';

export default async function globalSetup(): Promise<void> {
  const deadline = Date.now() + 60_000;
  let lastError = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseURL}/login`);
      if (res.ok) return;
      lastError = `status ${res.status}`;
    } catch (e) {
      lastError = String(e);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`server at ${baseURL} did not answer: ${lastError}`);
}
