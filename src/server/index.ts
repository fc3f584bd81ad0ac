export { type AppDependencies, createApp } from './app.ts';
export { type AuthOptions, authOptions } from './auth.ts';
export { type HttpServer, startHttpServer } from './http-server.ts';
