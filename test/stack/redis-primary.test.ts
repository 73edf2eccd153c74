import { describeRedisInStack } from "./redis-checks";

describeRedisInStack("primary");
