import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';

/**
 * Requests are validated and responses serialised by the same zod schemas that the OpenAPI
 * document (/openapi.json, browsable at /docs) is generated from, so the two cannot drift apart.
 */
export default fp(async function openapi(app: FastifyInstance) {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Warranty claims API', version: '1' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (warranty api-key create)' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'warranty_session',
            description: 'A workbench sign-in (POST /review/api/session); changes also need X-CSRF-Token',
          },
        },
      },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
});
