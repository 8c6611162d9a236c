import { Module, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { CONTROLLERS } from '../http/controllers.js';

/** The OpenAPI document of the API's routes, as served at /openapi.json. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Tribunal')
      .setDescription('Debates between copies of a model, judged by people; their verdicts become labels.')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'an API key' })
      .build(),
  );
}

/** The services the controllers are given, read from their constructors; describing the routes calls none of them. */
const SERVICES = [...new Set(CONTROLLERS.flatMap((controller): Type[] => Reflect.getMetadata('design:paramtypes', controller) ?? []))];

@Module({ controllers: CONTROLLERS, providers: SERVICES.map((service) => ({ provide: service, useValue: {} })) })
class DocumentOnlyModule {}

/** The same document built without a database, a queue or a listening server: for the committed copy and its staleness test. */
export async function buildOpenApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create(DocumentOnlyModule, { logger: false, bodyParser: false });
  try {
    return openApiDocument(app);
  } finally {
    await app.close();
  }
}
